import pytest

from ingest.base import MappingError
from ingest.ptv.mapping import map_channel, map_organization, map_service, tm35fin_to_wgs84

SERVICE = {
    "id": "0008afc0-182c-4580-ba73-7472287f4d63",
    "serviceNames": [
        {"language": "fi", "value": "Liikuntaneuvonta", "type": "Name"},
        {"language": "sv", "value": "Motionsrådgivning", "type": "Name"},
        {"language": "fi", "value": "Liikkumisen ohjaus", "type": "AlternativeName"},
        {"language": "se", "value": "Sámegiella", "type": "Name"},
    ],
    "serviceChargeType": "FreeOfCharge",
    "areaType": "LimitedType",
    "areas": [
        {
            "type": "Municipality",
            "code": None,
            "name": None,
            "municipalities": [{"code": "297", "name": [{"value": "Kuopio", "language": "fi"}]}],
        }
    ],
    "serviceDescriptions": [
        {"language": "fi", "type": "Summary", "value": "Maksutonta neuvontaa liikunnan aloittamiseen."},
        {"language": "fi", "type": "GD_Description", "value": "Yleiskuvauksen teksti."},
        {"language": "sv", "type": "GD_Description", "value": "Allmän beskrivning."},
        {"language": "sv", "type": "Description", "value": "Egen beskrivning."},
        {"language": "fi", "type": "UserInstruction", "value": "Varaa aika puhelimitse."},
    ],
    "languages": ["fi", "sv"],
    "serviceClasses": [
        {
            "name": [{"value": "Liikunta ja urheilu", "language": "fi"}],
            "code": "P27.1",
            "uri": "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P27.1",
        }
    ],
    "targetGroups": [
        {
            "name": [{"value": "Ikäihmiset", "language": "fi"}],
            "code": "KR1.1",
            "uri": "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/KR1.1",
        }
    ],
    "ontologyTerms": [],
    "lifeEvents": [],
    "keywords": [{"value": "kuntosali", "language": "fi"}],
    "serviceChannels": None,
    "organizations": [
        {
            "organization": {"id": "00022b78-dd97-4a66-8846-68b179d983e0", "name": "Kuopio"},
            "roleType": "Responsible",
            "provisionType": None,
        }
    ],
    "publishingStatus": "Published",
    "modified": "2024-01-10T09:12:33.123456",
}


def test_service_texts_prefer_own_over_general_description_and_keep_alternative_names():
    record = map_service(SERVICE)
    assert record.texts["name_fi"] == "Liikuntaneuvonta"
    assert record.texts["name_sv"] == "Motionsrådgivning"
    assert record.texts["description_fi"] == "Yleiskuvauksen teksti."  # GD fills a gap
    assert record.texts["description_sv"] == "Egen beskrivning."  # own text wins
    assert record.texts["user_instruction_fi"] == "Varaa aika puhelimitse."
    assert record.keywords["fi"] == ["kuntosali", "Liikkumisen ohjaus"]
    assert record.channel_ids == []  # serviceChannels may be null
    assert record.class_codes == {"P27.1"} and record.target_group_codes == {"KR1.1"}
    assert [m.code for m in record.municipalities] == ["297"]
    assert record.modified.isoformat() == "2024-01-10T09:12:33.123456+00:00"


@pytest.mark.parametrize(
    "change",
    [{"id": "not-a-guid"}, {"serviceNames": []}, {"serviceNames": "Liikunta"}, {"modified": "yesterday"}],
)
def test_malformed_service_raises_mapping_error(change):
    with pytest.raises(MappingError):
        map_service({**SERVICE, **change})


def test_tm35fin_coordinates_convert_to_wgs84():
    # Kuopio market square is about N 6973000 E 534000 in ETRS-TM35FIN.
    lat, lon = tm35fin_to_wgs84("6973000.000", "534000.000")
    assert lat == pytest.approx(62.8854, abs=1e-3)
    assert lon == pytest.approx(27.6686, abs=1e-3)
    assert tm35fin_to_wgs84(None, "534000") is None
    assert tm35fin_to_wgs84("62.89", "27.68") is None  # WGS84 numbers in the wrong fields fall outside Finland


def _location(state, lat="6973000.000", lon="534000.000"):
    return {
        "id": "0001a1c4-6273-424f-8d17-2ac62be89741",
        "serviceChannelType": "ServiceLocation",
        "organizationId": "00022b78-dd97-4a66-8846-68b179d983e0",
        "serviceChannelNames": [{"language": "fi", "value": "Terveysasema", "type": "Name"}],
        "addresses": [
            {
                "type": "Location",
                "subType": "Single",
                "streetAddress": {
                    "street": [{"value": "Testitie", "language": "fi"}],
                    "streetNumber": "13",
                    "postalCode": "70100",
                    "postOffice": [{"value": "KUOPIO", "language": "fi"}],
                    "municipality": {"code": "297", "name": [{"value": "Kuopio", "language": "fi"}]},
                    "latitude": lat,
                    "longitude": lon,
                    "coordinateState": state,
                },
            }
        ],
        "phoneNumbers": [
            {"type": "Phone", "prefixNumber": "+358", "number": "17182111", "serviceChargeType": "Chargeable"}
        ],
        "serviceHours": [
            {
                "serviceHourType": "DaysOfTheWeek",
                "isClosed": False,
                "openingHour": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "08:00:00", "to": "16:00:00"}],
            }
        ],
        "modified": "2020-03-04T14:07:04.840483",
    }


@pytest.mark.parametrize("state", ["Ok", "EnteredByUser"])
def test_location_channel_gets_wgs84_point_when_coordinates_are_good(state):
    record = map_channel(_location(state))
    assert record.latitude == pytest.approx(62.8854, abs=1e-3)
    assert record.texts["street_address_fi"] == "Testitie 13"
    assert record.municipality.code == "297"
    assert record.phones[0]["number"] == "+35817182111"
    assert record.service_hours[0]["days"] == [
        {"day_from": "Monday", "day_to": "Friday", "from": "08:00", "to": "16:00"}
    ]


@pytest.mark.parametrize("state", ["NotReceived", "Failed", "Loading", "MultipleResultsReceived"])
def test_location_channel_has_no_point_when_coordinates_are_not_trusted(state):
    record = map_channel(_location(state))
    assert record.latitude is None and record.longitude is None


def test_unknown_channel_type_and_nameless_organisation_are_malformed():
    with pytest.raises(MappingError, match="serviceChannelType"):
        map_channel({**_location("Ok"), "serviceChannelType": "Carrier pigeon"})
    with pytest.raises(MappingError):
        map_organization({"id": "00022b78-dd97-4a66-8846-68b179d983e0", "organizationNames": []})
