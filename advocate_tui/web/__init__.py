"""The browser desk (``advocate serve``): textual-serve behind a door.

:mod:`.door` holds the rules for who may talk to the server (its own address only);
:mod:`.server` extends textual-serve's server with them, starts every desk locked and hands each desk
the passphrase through a pipe.
"""
