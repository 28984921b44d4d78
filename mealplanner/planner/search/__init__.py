"""The week's local search: problem.py (the request as arrays), state.py (running sums and
scores), moves.py (perturbations), iterated.py (the search), bounds.py (what is out of reach,
and the neighbourhood CP-SAT polishes)."""
