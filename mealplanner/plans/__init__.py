"""Plans: the one service the JSON API, the web pages and the CLI call.

`service` creates, loads, saves, swaps, regenerates and deletes plans; `schemas` is the plan
request's JSON contract; `capacity` limits the solves one process runs at once; `catalog` is the
cached food and recipe catalog every plan is made from; `ownership` the owner tokens.
"""
