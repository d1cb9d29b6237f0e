"""Analysis objects (the JSON contract) for the corpus tests, built from real-world sentences with the events
they report written out by hand, so store, dedup and analytics tests do not depend on the event coder's recall.
"""

from __future__ import annotations

from typing import Any

from communique.corpus.store import AnalysedDocument
from communique.document import content_id

NAMES = {
    "AZE": "Azerbaijan",
    "KGZ": "Kyrgyzstan",
    "RUS": "Russia",
    "USA": "United States",
    "CHN": "China",
    "TUR": "Turkey",
    "DEU": "Germany",
    "FRA": "France",
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "ARM": "Armenia",
    "IRN": "Iran",
    "GEO": "Georgia",
}
QUADS = {
    "CONSULT": 1,
    "AGREE": 1,
    "SUPPORT": 1,
    "COOPERATE": 2,
    "AID": 2,
    "ACCUSE": 3,
    "THREATEN": 3,
    "SANCTION": 4,
    "ASSAULT": 4,
}
SCORES = {
    "CONSULT": 1.0,
    "AGREE": 3.0,
    "SUPPORT": 3.5,
    "COOPERATE": 6.0,
    "AID": 7.0,
    "ACCUSE": -2.0,
    "THREATEN": -4.0,
    "SANCTION": -6.0,
    "ASSAULT": -9.0,
}


def record(
    text: str,
    published: str | None,
    events: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    *,
    source: str | None = "Eurasianet",
    title: str | None = None,
    quotes: list[tuple[str, str, str]] = (),  # type: ignore[assignment]  (speaker code, speaker text, content)
    event_date: str | None = None,
    status: str = "realized",
    genre: str = "news",
) -> dict[str, Any]:
    """A contract dict for ``text``: one actor per code named in the events, each event on the whole text."""
    codes = sorted({c for _, a, r in events for c in (a, r)} | {q[0] for q in quotes})
    actors = []
    for i, code in enumerate(codes):
        name = NAMES.get(code, code)
        start = text.find(name)
        mentions = (
            [{"text": name, "start": start, "end": start + len(name), "sentence": 0, "kind": "name"}]
            if (start >= 0)
            else []
        )
        actors.append(
            {
                "id": f"a{i}",
                "name": name,
                "type": "country",
                "code": code,
                "sector": "GOV",
                "role": None,
                "kb_id": None,
                "mentions": mentions,
            }
        )
    ids = {a["code"]: a["id"] for a in actors}
    contract_events = []
    for type_, actor, recipient in events:
        contract_events.append(
            {
                "type": type_,
                "mode": None,
                "context": [],
                "actor": [
                    {"actor_id": ids[actor], "code": actor, "sector": "GOV", "text": NAMES.get(actor, actor)}
                ],
                "recipient": [
                    {
                        "actor_id": ids[recipient],
                        "code": recipient,
                        "sector": "GOV",
                        "text": NAMES.get(recipient, recipient),
                    }
                ],
                "date": {
                    "text": event_date,
                    "value": event_date,
                    "granularity": {10: "day", 7: "month", 4: "year"}[len(event_date)],
                }
                if event_date
                else None,
                "location": None,
                "status": status,
                "attribution": "reported",
                "score": SCORES[type_],
                "confidence": 0.9,
                "sentence": 0,
                "trigger": {"text": text.split()[0], "start": 0, "end": len(text.split()[0])},
                "evidence": {"text": text, "start": 0, "end": len(text)},
                "other_evidence": [],
            }
        )
    contract_quotes = [
        {
            "kind": "direct",
            "speaker": {"text": speaker, "actor_id": ids[code], "name": speaker, "code": code},
            "cue": {"text": "said", "start": 0, "end": 4},
            "content": {
                "text": content,
                "start": max(0, text.find(content)),
                "end": max(0, text.find(content)) + len(content),
            },
            "sentence": 0,
        }
        for code, speaker, content in quotes
    ]
    return {
        "schema": "communique/1",
        "document": {
            "id": content_id(text),
            "title": title,
            "published": published,
            "genre": genre,
            "language": "en",
            "url": None,
            "author": None,
            "source": source,
            "bias": None,
            "text": text,
        },
        "sentences": [{"index": 0, "start": 0, "end": len(text), "kind": "report", "cues": []}],
        "actors": actors,
        "events": contract_events,
        "quotes": contract_quotes,
        "dates": [],
        "rhetoric": [],
        "stance": [{"actor_id": a["id"], "code": a["code"], "score": 0.2, "sentences": [0]} for a in actors],
    }


def stored(rec: dict[str, Any]) -> AnalysedDocument:
    return AnalysedDocument(rec, external_id=None, origin="test")


# A small corpus of real-world style reports: Azerbaijan and Kyrgyzstan with the centres of power, 2021-2022.
REPORTS: list[dict[str, Any]] = [
    record(
        "Azerbaijan and Kyrgyzstan signed a declaration on strategic partnership in Bishkek.",
        "2022-10-13",
        [("AGREE", "AZE", "KGZ"), ("AGREE", "KGZ", "AZE")],
        title="Baku and Bishkek sign partnership",
    ),
    record(
        "Kyrgyzstan and Azerbaijan agreed in Bishkek to deepen their strategic partnership, officials said.",
        "2022-10-14",
        [("AGREE", "KGZ", "AZE"), ("AGREE", "AZE", "KGZ")],
        source="AKIpress",
    ),
    record(
        "Azerbaijan held talks with Russia on the Karabakh ceasefire in Moscow.",
        "2022-03-02",
        [("CONSULT", "AZE", "RUS")],
    ),
    record(
        "Turkey delivered drones and military aid to Azerbaijan during the war.",
        "2021-11-05",
        [("AID", "TUR", "AZE")],
        source="Hurriyet",
    ),
    record(
        "Azerbaijan accused Russia of failing to stop Armenian forces near Lachin.",
        "2022-08-04",
        [("ACCUSE", "AZE", "RUS")],
    ),
    record(
        "Azerbaijan and Germany agreed to expand gas deliveries to Europe.",
        "2022-07-18",
        [("AGREE", "AZE", "DEU")],
        source="Reuters",
    ),
    record(
        "China and Azerbaijan agreed on a transit corridor across the Caspian Sea.",
        "2022-05-20",
        [("AGREE", "CHN", "AZE")],
        source="Xinhua",
    ),
    record(
        "Kyrgyzstan consulted Russia on the border crisis with Tajikistan.",
        "2022-09-17",
        [("CONSULT", "KGZ", "RUS")],
        source="AKIpress",
    ),
    record(
        "Kyrgyzstan agreed with Turkey to open a drone assembly line.",
        "2022-06-01",
        [("AGREE", "KGZ", "TUR")],
        source="AKIpress",
    ),
    record(
        "Azerbaijan signed an agreement with Turkey on energy transit.",
        "2022-06-03",
        [("AGREE", "AZE", "TUR")],
        source="Hurriyet",
    ),
    record(
        "Kyrgyzstan accused Russia of delaying promised military equipment.",
        "2021-04-20",
        [("ACCUSE", "KGZ", "RUS")],
        source="AKIpress",
    ),
    record(
        "Azerbaijan and the United States held consultations on regional security.",
        "2021-03-11",
        [("CONSULT", "AZE", "USA")],
        source="Reuters",
    ),
    record(
        'Kyrgyzstan and Azerbaijan held talks on trade. "Our peoples are brothers," Sadyr Japarov said.',
        "2021-09-01",
        [("CONSULT", "KGZ", "AZE")],
        source="AKIpress",
        quotes=[("KGZ", "Sadyr Japarov", "Our peoples are brothers")],
    ),
]
