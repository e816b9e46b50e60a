"""Live room messages across replicas: the feed (rows first, ``pg_notify`` with ids in the same
transaction), one listener per process, and the per-replica hub that fans events out to its
sockets. See :mod:`service.deal_rooms.live.feed` for the write side and
:mod:`service.deal_rooms.live.hub` for the delivery side."""
