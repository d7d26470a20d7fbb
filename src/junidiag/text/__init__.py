"""Text: from raw pasted bytes and log lines to what the matcher compares.

`reading` turns stdin's bytes into lines; `cleaning` makes text canonical and
comparable; `envelope` finds a log line's level and message; `language` tells
English, Swedish and Norwegian apart; `safety` makes untrusted text safe to print.
Nothing here knows of the catalog, the matcher or Rich.
"""
