"""LPG 3 kg at the cooperative as Pertamina's pangkalan: every sale with the buyer's NIK and
category, and the daily list copied into Pertamina's merchant app."""
