"""The till: carts per till, checkout, payments, receipts."""
