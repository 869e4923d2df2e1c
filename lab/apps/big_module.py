"""A large module, as a big application's imports are (a framework, a
model, lookup tables): importing it builds ``SIZE_MIB`` MiB of data that no
request writes afterwards.

The data is one ``bytes`` object filled with non-zero bytes, so every page
is written once at import and counts in the importing process's RSS. A
``bytes`` object is not written again (CPython writes only its header's
reference count), so after a ``fork()`` its pages stay shared, copy-on-write
(fork(2)), until a process writes to them. Large lists or dicts of Python
objects would not stay shared as well: every use writes the reference
counts spread through their pages (see notes of scenarios/preload).
"""

import hashlib

#: MiB built at import.
SIZE_MIB = 32

_block = hashlib.sha256(b"app-server-lab").digest() * (1024 * 1024 // 32)  # 1 MiB
DATA = _block * SIZE_MIB
del _block
