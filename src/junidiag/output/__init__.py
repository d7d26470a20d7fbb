"""Output: the sinks results are handed to — Rich views for people, JSON for scripts.

The only package that imports Rich. `views` builds Rich renderables, `jsonout`
the JSON objects and JSON Lines of SPEC §1.
"""
