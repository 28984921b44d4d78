"""The CP-SAT weekly menu optimizer: request -> candidates -> model -> plan or explanation."""
