"""Subsidised fertiliser (pupuk bersubsidi): the season's e-RDKK list, farmers' allocations
per fertiliser type, redemptions at the till (with proxies) and the distributor's report."""
