"""A string, number or null where a source sends an object or a list fails that record only.

Each case goes through the full sync over HTTP against the fake server: the run
succeeds, the broken records are counted as failed, and the others are written.
"""

import copy
import uuid

import pytest

from catalog.models import Service
from events.models import Event
from ingest.fakes import FakeLahella, FakeLinkedEvents, FakeServer, lahella, linkedevents
from ingest.lahella.client import LahellaClient
from ingest.lahella.sync import lahella_sync
from ingest.linkedevents.client import LinkedEventsClient
from ingest.linkedevents.sync import linkedevents_sync
from ingest.models import IngestRun
from ingest.ptv.sync import ptv_sync

pytestmark = pytest.mark.django_db

PTV_BREAKAGES = {
    "keyword entry is a string": {"keywords": ["liikunta"]},
    "keyword entry is null": {"keywords": [None]},
    "keyword value is a number": {"keywords": [{"language": "fi", "value": 5}]},
    "organisation entry is a string": {"organizations": ["Kuopion kaupunki"]},
    "organisation is a number": {"organizations": [{"organization": 42, "roleType": "Responsible"}]},
    "channel link is null": {"serviceChannels": [None]},
    "channel is a string": {"serviceChannels": [{"serviceChannel": "kanava"}]},
    "names are a string": {"serviceNames": "Uimahalli"},
    "name language is a number": {"serviceNames": [{"language": 7, "value": "Uimahalli", "type": "Name"}]},
    "areas are a number": {"areas": 297, "areaType": "Nationwide"},
    "area municipalities are a string": {"areas": [{"type": "Municipality", "municipalities": "297"}], "areaType": "Nationwide"},
    "area municipality is a string": {"areas": [{"type": "Municipality", "municipalities": ["297"]}], "areaType": "Nationwide"},
    "service class is a number": {"serviceClasses": [5]},
    "service classes are an object": {"serviceClasses": {"code": "P27"}},
    "target group code is an object": {"targetGroups": [{"code": {"value": "KR1"}, "uri": ""}]},
    "charge type is an object": {"serviceChargeType": {"type": "FreeOfCharge"}},
    "area type is a list": {"areaType": ["Nationwide"]},
}  # fmt: skip


def test_ptv_sync_fails_only_the_malformed_records(region, fake_ptv, ptv_client):
    expected = ptv_sync(full=True, client=ptv_client, index=False, dry_run=True).created
    template = next(
        s
        for s in fake_ptv.fake.services.values()
        if s["areaType"] == "LimitedType" and s.get("serviceChannels") and s.get("organizations")
    )
    broken_ids = set()
    for name, changes in PTV_BREAKAGES.items():
        broken = {**copy.deepcopy(template), **changes, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, name))}
        fake_ptv.fake.add_service(broken)
        broken_ids.add(broken["id"])
    channel = next(c for c in fake_ptv.fake.channels.values() if c["serviceChannelType"] == "ServiceLocation")
    bad_channel = {**copy.deepcopy(channel), "id": str(uuid.uuid4()), "serviceHours": ["aina auki"]}
    fake_ptv.fake.channels[bad_channel["id"]] = bad_channel

    run = ptv_sync(full=True, client=ptv_client, index=False)

    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.failed == len(PTV_BREAKAGES)
    assert set(run.details["failed_ids"]) == broken_ids
    assert run.details["channels"]["failed"] == 1
    # Every stored service counts, public or kept out of scope (catalog.scope).
    assert run.created == expected == Service.objects.count() > Service.objects.filter(is_public=True).count()
    assert not Service.objects.filter(source_id__in=broken_ids).exists()


LINKED_EVENTS_BREAKAGES = {
    "keyword entry is a string": {"keywords": ["yso:p916"]},
    "location is a string": {"location": "Kuopion kaupunginkirjasto"},
    "position is a number": {"location": {"position": 62.89}},
    "offer is a number": {"offers": [0]},
    "language is null": {"in_language": [None]},
    "name is a list": {"name": ["Vesijumppa"]},
    "event status is an object": {"event_status": {"value": "EventScheduled"}},
}


def test_linkedevents_sync_fails_only_the_malformed_events(region):
    fake = FakeLinkedEvents(page_size=3, realistic_file=None)  # the recorded pages only
    template = fake.events["kuopio:5001"]
    for number, changes in enumerate(LINKED_EVENTS_BREAKAGES.values()):
        event_id = f"kuopio:9{number:03}"
        fake.events[event_id] = {**copy.deepcopy(template), **changes, "id": event_id}
    with FakeServer(fake, prefix=linkedevents.PREFIX) as server:
        run = linkedevents_sync(full=True, client=LinkedEventsClient(server.url, max_retries=1, timeout=5))

    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.failed == len(LINKED_EVENTS_BREAKAGES)
    assert run.created == 8 == Event.objects.filter(source="linkedevents").count()
    assert not Event.objects.filter(source_id__startswith="kuopio:9").exists()


LAHELLA_BREAKAGES = {
    "traits are a string": {"traits": "liikunta"},
    "channel is a number": {"traits": {"channels": [1]}},
    "channel event is a string": {"traits": {"channels": [{"events": ["tiistaisin"]}]}},
    "translation is a string": {"traits": {"translations": {"fi": "Kävelykerho"}}},
    "group is a number": {"groups": [3]},
    "recurrence is a list": {"traits": {"channels": [{"events": [{"start": 1764662400000, "recurrence": []}]}]}},
}


def test_lahella_sync_fails_only_the_malformed_activities(region):
    fake = FakeLahella()
    template = fake.items[0]
    for number, changes in enumerate(LAHELLA_BREAKAGES.values()):
        broken = {**copy.deepcopy(template), "_key": f"broken-{number}"}
        for key, value in changes.items():
            if key == "traits" and isinstance(value, dict):
                broken["traits"] = {**broken["traits"], **value}
            else:
                broken[key] = value
        fake.items.append(broken)
    with FakeServer(fake, prefix=lahella.PREFIX) as server:
        client = LahellaClient(server.url, token=fake.token, max_retries=1, timeout=5)
        run = lahella_sync(client=client)

    assert run.status == IngestRun.Status.SUCCEEDED, run.error
    assert run.failed == len(LAHELLA_BREAKAGES)
    assert run.created == 3  # the recording's three published activities (the fourth is a draft)
    assert not Event.objects.filter(source_id__startswith="broken-").exists()
