"""Releases: build every package into ``dist/`` and publish what the registries still lack.

```
specgen release build    -> dist/python/*.whl *.tar.gz, dist/npm/*.tgz, dist/cargo/*.crate,
                            dist/SHA256SUMS, dist/manifest.json   (build.py, artifacts.py)
specgen release status   -> which registry lacks which package version      (publish.py)
specgen release publish  -> upload exactly those, report every registry    (publish.py)
```

The event packages are built from the spec (generated in memory, like ``specgen generate``)
with the commit stamped into their ``build-info.json``; the runtimes (``--runtimes DIR``, in
the specgen repository) are built from their folders. Registries are reached through their
ordinary clients (twine, npm, cargo), each in ``registries.py``.
"""
