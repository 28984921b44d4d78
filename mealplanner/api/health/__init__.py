"""GET /health and /ready at the root, for load balancers."""
