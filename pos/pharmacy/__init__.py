"""The apotek desa: drug classes at the till, prescriptions and the pharmacist's approval."""
