"""``specgen diff``: breaking changes between two versions of a spec, caught before merge.

::

    source   the old version on disk (a git ref or tag extracted, or a path)
    side     one version loaded: IR, and the spec objects behind each event (locations)
    schema/  payload schemas compared as sets of instances, both directions
    events   per CloudEvent type: payload, subject, source, parameters, delivery
    contract domains, channels, operations
    code_api the generated packages' API (names, fields, types)
    streams  JetStream streams and the fleet topology
    rules    every rule: stable id, category, what it breaks
    modes    compatibility modes from the project file
    annotations  x-specgen-breaking: the explicit, reviewed way to break
    versions the project version against what changed
    run      one call that does all of it; render: text, json, github, markdown
"""
