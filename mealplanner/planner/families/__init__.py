"""Rule families that are not linear sums: whole packages, distinct plant foods, variety.
Each module holds the rule's model side, search side and checker side together."""
