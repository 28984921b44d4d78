"""CP-SAT: model.py (variables and guards), compile.py (linear rules), solve.py (settings,
solve, polish), explain.py (why no plan exists)."""
