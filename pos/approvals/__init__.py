"""Manager overrides asked for at the till: who asked, who approved, why, before and after."""
