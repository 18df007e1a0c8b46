"""Per-buyer limits on regulated goods: a product or a group of products, a quantity per buyer
per day or week (SPHP rice: 2 packs of 5 kg per buyer per day), race-safe across tills."""
