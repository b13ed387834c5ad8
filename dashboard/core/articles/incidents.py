"""Turn sentences that report an attack or a strike into incident records, each with its evidence.

Rules, in order:

* A sentence about sanctions or designations, or one that states a running
  total, reports no incident.
* A sentence is cut into parts that report events of their own: the part
  after *after*, *following*, *in response to* when both sides have an
  event word ("US jets struck X after a drone attack on Y"), and parts joined
  by "; " or ", and two/a/..." when each names a site.
* A part reports an incident when it has an event word (attack, struck,
  fired, strike, landed, ...) not governed by *could*, *threatened to*, ...,
  and names a site, or names Iraq, Syria or Jordan together with a day, a
  casualty figure or a US strike. It gives one incident per site it names
  (casualty figures go to the nearest site), or one without a site.
* A part about "the attack (on X)" adds its facts to the earlier incident at
  X (or to the last incident, when it names no site) instead of making one;
  so does a sentence that carries on from the one before ("One was shot
  down ...", "The drone fell ...") and names no site.
* The type comes from the weapon words: a US strike (airstrike,
  counterstrike, warplanes, "US forces struck"), else missile, rockets and
  drones (mixed), drone, rocket, or unknown. When a part names several sites
  (and is no US strike), each site is typed from its own clause (cut at the
  first "and", "but", "," or ";" between two sites that does not join two
  weapons), or from the whole part when its clause names no weapon.
* A sentence that reports no incident of its own but ties a casualty figure
  to a site ("one service member suffered minor injuries at X") adds it to
  the earlier incident at X.
* The actor is the United States (or the coalition) for a US strike, else
  the first listed group the part names, not as a backer ("Iran-backed"),
  else a group that claims the attack in one of the next two sentences.
* The confirmation follows who the sentence says reported it (see
  :mod:`attribution`): US officials, local officials, else claim-only.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from dashboard.core.data.columns import ATTACK_TYPES, CONFIRMATION_RANK, EVENT_TYPES
from dashboard.core.articles.casualties import find_casualties
from dashboard.core.articles.consolidation import ANNOUNCED as _ANNOUNCED, attach, consolidate
from dashboard.core.articles.text import Sentence, span

#: The striking party of a US strike (its row in geodata/actors.csv).
US_ACTOR_ID, US_NAME = "US", "United States"

_US_STRIKE = re.compile(
    r"\b(?:air ?strikes?|air raids?|counter-?strikes?|retaliatory (?:air ?)?strikes?|self-defen[cs]e strikes?|"
    r"precision strikes?|\"?self-defen[cs]e[\"\u201d]? strikes?|warplanes|fighter jets|fighter aircraft|bombers|gunships?|F-15E?s?|F-16s?|B-1Bs?|"
    r"AC-130J?|MQ-9s?|Reaper drones?)\b", re.IGNORECASE)
_US_AGENT = re.compile(
    r"\b(?:US|U\.S\.|American|United States|CENTCOM|Central Command|coalition)\s{1,10}(?:(?:military|forces|troops|soldiers|"
    r"warplanes|aircraft|jets|drones?|has|have|had|also|then|later|begun|began|started|on\s{1,10}\w{1,40})\s{1,10}){0,3}(?:carried out|conducted|"
    r"launched|struck|strikes?|bombed|hit|targeted|retaliated|responded)\b")
#: The US (or the coalition) named in a clause. Each name ends its own word: "U.S." ends with a full stop, after
#: which a closing \b would need a letter ("U.S. strikes" failed that way).
_US_NAMED = re.compile(r"\b(?:US\b|U\.S\.|American\b|United States\b|coalition\b)")
_UNKNOWN_AIRCRAFT = re.compile(r"\b(?:aircraft|warplanes|jets|planes)\s{1,10}of\s{1,10}unknown\s{1,10}(?:origin|identity|"
                               r"nationality)|\bunidentified\s{1,10}(?:aircraft|warplanes|jets|planes)\b", re.IGNORECASE)
_MILITANT_AGENT = re.compile(r"\b(?:Resistance|militias?|militants?|factions?|Hezbollah|Kata'?ib|Nujaba|Houthis?)\b")
#: A militia as the one acting: "the Islamic Resistance targets US bases ... in retaliatory strikes".
_MILITANT_ACTS = re.compile(r"\b(?:Resistance|militias?|militants?|factions?|Hezbollah|Kata'?ib|Nujaba|Houthis?)\s{1,10}"
                            r"(?:[\w'-]{1,20}\s{1,10}){0,3}?(?:targets?|targeted|attacks?|attacked|launch(?:es|ed)?|fires?|fired|"
                            r"hits?|claims?|claimed|carries out|carried out)\b", re.IGNORECASE)
_FOREIGN_STRIKE = re.compile(r"\b(?:Israeli|Israel's|Turkish|Turkey's|Russian|Russia's|Jordanian|Iranian)\b")
_DRONE = re.compile(r"\b(?:(?:one-way\s{1,10}(?:attack\s{1,10})?|suicide\s{1,10}|kamikaze\s{1,10}|explosive\s{1,10}|"
                    r"armed\s{1,10})?drones?|UAVs?|"
                    r"unmanned aerial (?:vehicles?|systems?)|loitering munitions?)\b", re.IGNORECASE)
_ROCKET = re.compile(r"\b(?:rockets?|Katyushas?|mortars?|mortar (?:rounds?|shells?)|artillery)\b", re.IGNORECASE)
_MISSILE = re.compile(r"\b(?:ballistic |cruise |short-range )?missiles?\b", re.IGNORECASE)
_DEFENSIVE = re.compile(r"\b(?:surface-to-air|air[- ]defen[cs]e|interceptors?)\s{1,10}(?:missiles?|systems?)?", re.IGNORECASE)
_TRIGGER = re.compile(
    r"\b(?:attack(?:s|ed|ing)?|struck|strikes?|hit|targeted|targeting|launch(?:ed|es)?|fired|shelled|shelling|barrages?|"
    r"came under (?:fire|attack)|shot down|intercepted|downed|bombed|assault(?:s|ed)?|landed|impacted|exploded|detonated|"
    r"air ?strikes?|counter-?strikes?|used\s{1,10}(?:[\w-]{1,20}\s{1,10}){0,2}munitions)\b", re.IGNORECASE)
_HYPOTHETICAL = re.compile(r"\b(?:possible|potential|imminent|expected|feared|could|would|might|may|will|threaten(?:s|ed)?(?: to)?|vow(?:s|ed)? to|plans? to|"
                           r"prepar(?:e|es|ed|ing) to|ready to|warned (?:of|that)|fear(?:s|ed|ing)?(?: of)?|"
                           r"for fear of|amid fears of|risk of|threat of|prospect of|possibility of|in case of)"
                           r"\s{1,10}(?:[\w.-]{1,40}\s{1,10}){0,2}$", re.IGNORECASE)
_NOT_AN_EVENT = re.compile(r"\b(?:sanction(?:s|ed)?|designat(?:e|ed|es|ion)|blacklist(?:s|ed)?|"
                           r"terrorist organi[sz]ation|indict(?:ed|ment)?)\b", re.IGNORECASE)
_REFERENCE = re.compile(r"\b(?:the|that|this|same)\s{1,10}(?:\w{1,40}\s{1,10})?(?:attack|strike|assault|exchange of fire|"
                        r"incident)\b(?!s)", re.IGNORECASE)
_CONNECTOR = re.compile(r"\s(?:after|following|followed|in response to|in retaliation for|in reprisal for|to avenge)\s|"
                        r"\b(?:counter-?strikes?|response|retaliation|reprisals?)\s(?:[\w.]{1,20}\s){0,4}?(?=(?:to|for)\s)",
                        re.IGNORECASE)
_JOIN = re.compile(r";\s{1,10}|,\s{1,10}(?:and|while)\s{1,10}(?=(?:a|an|one|two|three|four|five|several|another|\d{1,7})\s)", re.IGNORECASE)
_COUNTRY = re.compile(r"\b(?P<country>Iraq|Syria|Jordan)\b")
#: A country named by its adjective before a word for a part of it ("the western Iraqi province of al-Anbar").
_COUNTRY_ADJECTIVE = re.compile(r"\b(?P<adjective>Iraqi|Syrian|Jordanian)\s{1,10}(?:province|governorate|desert|countryside|"
                                r"territory|city|town|region|capital)\b")
_ADJECTIVES = {"Iraqi": "Iraq", "Syrian": "Syria", "Jordanian": "Jordan"}
_PLURAL = re.compile(r"\b(?:several|multiple|repeated|a series of|a wave of|two|three|four|five)\s{1,10}(?:[\w.-]{1,40}\s{1,10}){0,2}?"
                     r"(?:attacks|strikes|airstrikes|air strikes|operations)\b|\battacks\b|\boperations\b|"
                     r"\b(?:two|three|four|five|six|seven|eight|nine|ten|several|multiple|\d{1,3})\s{1,10}times\b|"
                     r"\b(?:two|three|four|five|several|multiple)\s{1,10}(?:[\w.-]{1,20}\s{1,10}){0,2}?bases\b", re.IGNORECASE)
_SINGLE = re.compile(r"\b(?:the latest|the most recent|one of (?:the|them|those))\b|^\s{0,10}One\b", re.IGNORECASE)
_CLAIM = re.compile(r"\bclaim(?:s|ed|ing)?\b|\b(?:endorsed|adopted)\b|\b(?:took|takes|take|taking|assumed|bears?|claims?)\s{1,10}responsibility\b|"
                    r"\bresponsibility for\b", re.IGNORECASE)
_BLAME = re.compile(r"\b(?:blam(?:e|es|ed|ing)|attribut(?:e|es|ed)|accus(?:e|es|ed))\b", re.IGNORECASE)
_CONTINUES = re.compile(r"^\s{0,10}(?:One|Another|The other|Two|Three|Among (?:them|those|these)|Of (?:those|these|them)|"
                        r"They|These|Those|That|It|The (?:drone|rocket|missile|attack|strike|blast|projectile)s?)\b")
_BOUNDARY = re.compile(r",?\s{1,10}(?:and|but|while|whereas)\s{1,10}|;\s{1,10}|,\s{1,10}", re.IGNORECASE)
_QUANTITY = re.compile(r"\s{0,10}(?:(?:a|an|one|two|three|four|five|several|some|multiple|\d{1,7})\s{1,10})?", re.IGNORECASE)
_AT_SITE = re.compile(r"\s{1,10}+(?:(?:in|during) the (?:\w{1,40} )?(?:attack|strike) )?(?:at|in|near|on|inside)\s{1,10}+"
                      r"(?:the\s{1,10}+)?$",
                      re.IGNORECASE)
_LAST_WORDS = re.compile(r"(?<![\w-])(?:[\w-]{1,40}\s{1,10})?[\w-]{1,40}$")
#: Words before a place that only locates the place named before it ("Harir, 45 km north of Erbil airport").
_LANDMARK = re.compile(r"(?:\b(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern|ward)?\s{1,10}of"
                       r"(?:\s{1,10}the)?(?:\s{1,10}[\w-]{1,20}){0,2}?\s{1,10}(?:city|town|village|province) of|"
                       r"\bnear\s{1,10}the\s{1,10}(?:town|city|village) of|\bcountryside of|"
                       r"\b(?:base|airport|air ?base|field|site|garrison|camp)\s{1,10}in|\bclose\s{1,10}to|\[[^\]\[]{0,40}|"
                       r"\bin\s{1,10}the\s{1,10}(?:[\w-]{1,20}\s{1,10})?(?:province|governorate) of|"
                       r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern|ward)?\s{1,10}of|"
                       r"\b(?:km|kilometers|kilometres|miles)\s{1,10}(?:from|of|outside)|\b(?:located|situated|lying)\s{1,10}"
                       r"(?:near|close to|outside|next to|in)|\bnot far from|\boutskirts of)\s{1,10}(?:the\s{1,10})?$", re.IGNORECASE)
#: A group named as what the troops fight ("the coalition against ISIS") is not the attacker.
_OPPOSED = re.compile(r"\b(?:against|defeat|defeating|fight|fighting|combat|combating|combatting|counter)\s{1,10}"
                      r"(?:the\s{1,10})?(?:so-called\s{1,10})?$", re.IGNORECASE)
#: Words before an event that make it the one answered: "Washington called it a response to a drone attack ...".
_ANSWERED = re.compile(r"\b(?:response|retaliation|reprisal|reply|revenge)\s{1,10}(?:to|for)\b", re.IGNORECASE)
_ORIGIN_ONLY = re.compile(r"\b(?:from|out of)\s{1,10}(?:the\s{1,10})?(?:[\w-]{1,20}\s{1,10}){0,2}?$", re.IGNORECASE)
#: A country named only as the other side of a border ("a base in Jordan, near the border with Syria").
_BORDER_ONLY = re.compile(r"\bborder(?:s)? (?:with|of)\s{1,10}(?:the\s{1,10})?$", re.IGNORECASE)
#: Before a place in a US strike's clause: the place was attacked, and the strike answered it.
_ATTACKED_PLACE = re.compile(r"\battacks?\s{1,10}(?:on|against)\s{1,10}(?:the\s{1,10})?(?:[\w-]{1,20}\s{1,10}){0,3}$",
                            re.IGNORECASE)
#: "... were believed to have been launched by <group>": the next sentence names who fired.
_BY_GROUP = re.compile(r"\b(?:launched|fired|carried out|conducted|sent|behind)\s{1,10}(?:\w{1,20}\s{1,10}){0,2}?(?:by\s{1,10})?"
                       r"(?:the\s{1,10})?$", re.IGNORECASE)
#: Before a date that starts a period, not an event: "since Oct. 17", "since a series of attacks began on Oct. 17".
_CAMPAIGN_DAY = re.compile(r"\bsince\s{1,10}$|\bsince\b[^.;]{0,50}?\b(?:began|begun|started)\s{1,10}(?:on\s{1,10})?$|"
                           r"\b(?:began|begun|started|starting)\s{1,10}on\s{1,10}$", re.IGNORECASE)
_OTHER_FORCE_TARGET = re.compile(r"\b(?:Peshmerga|Iraqi army|Syrian (?:army|government)|PMF|Hashd|SDF)\s{1,10}"
                                 r"(?:base|position|headquarters|checkpoint|post)s?\b", re.IGNORECASE)
#: After a date: a speaker and the verb of speech, so the date is when it was said ("On October 27, Austin said").
_SAID_AFTER = re.compile(r",?\s{1,10}+(?:[\w.'-]{1,30}+\s{1,10}+){0,6}?(?:said|told|announced|stated|confirmed|added)\b")
_CUMULATIVE = re.compile(r"\b(?:since|so far|to date|in total|in all|overall|altogether|cumulative|tally)\b",
                         re.IGNORECASE)
#: How many characters around a word the look-behind and look-ahead checks read (bounded, so their cost is too).
_LOOK = 100


def find_incidents(article: str, sentences: list[Sentence], sites: list[dict], dates: list[dict],
                   actors: list[dict], counts: list[dict], attributions: list[list[dict]],
                   set_aside: list[dict] | None = None, published: str | None = None,
                   provinces: dict[str, str] | None = None) -> list[dict]:
    """Incidents reported in the article (see the module notes for the rules).

    Parameters
    ----------
    article : str
        The article text.
    sentences : list of Sentence
        From :func:`split_sentences`.
    sites, dates, actors, counts : list of dict
        What :func:`find_sites`, :func:`find_dates`, :func:`find_actors`
        and :func:`find_counts` found in the same text.
    attributions : list of list of dict
        The speakers of each sentence.
    set_aside : list, optional
        Receives the rows set aside as background, each with its evidence and reason.
    published : str, optional
        The publication date (ISO), to tell an old event named in passing from the report's news.
    provinces : dict, optional
        Province name -> country (the gazetteer's ``admin1``): a clause naming a province names its country.

    Returns
    -------
    list of dict
        In the order of the text, numbered from 1 (``n``). Each has
        ``event_type``, ``date``, ``date_end``, ``date_precision``,
        ``date_certainty`` (``reported``, ``inferred``, ``approximate`` or
        None), ``date_evidence``, ``site`` (the mention) and ``site_id``,
        ``place``, ``country``, ``lat``, ``lon``, ``actor``, ``actor_id``,
        ``actor_role``, ``killed``, ``killed_max``, ``injured``,
        ``injured_max``, ``casualty_wording``, ``confirmation``,
        ``reported_by``, ``multiple``, ``trigger``, ``evidence`` (the
        sentence), ``more_evidence`` and ``review`` (what a reviewer should check).
    """
    sites = [s for s in sites if s["status"] != "other_meaning"]  # a TV channel named after a town is no place
    actors = _opposed(article, sorted(actors, key=_start_of))
    sites, dates, actors = (sorted(items, key=_start_of) for items in (sites, dates, actors))
    count_sentences = {c["evidence"]["start"] for c in counts}
    incidents: list[dict] = []
    inherited: list[dict] = []
    previous: list[dict] = []  # the incidents of the sentence before
    for index, sentence in enumerate(sentences):
        continues = bool(_CONTINUES.match(sentence.text))
        speakers = attributions[index] or (inherited if continues else [])
        inherited = speakers
        if sentence.start in count_sentences or _NOT_AN_EVENT.search(sentence.text):
            previous = []
            continue
        if continues and previous and not _inside(sites, sentence.start, sentence.end):
            casualties = find_casualties(article, sentence.start, sentence.end)
            for incident in previous:
                _merge(incident, sentence, None, casualties if len(previous) == 1 else None, speakers,
                       _inside(actors, sentence.start, sentence.end), number=index + 1)
            continue
        following = sentences[index + 1:index + 3]
        before = len(incidents)
        for start, end, answered in _clauses(sentence, sites):
            found = _clause_incidents(article, sentence, start, end, sites, dates, actors, speakers, following, incidents,
                                      number=index + 1, provinces=provinces)
            for row in found:
                row["sentence"] = index + 1
                row["clause_start"] = start
                row["answered"] = answered or bool(_ANSWERED.search(article, start, row["trigger"]["start"]))
            incidents.extend(found)
        if len(incidents) == before:
            _site_casualties(article, sentence, sites, incidents, speakers, number=index + 1)
            _later_casualties(article, sentence, index + 1, sites, previous, speakers)
            _same_places(article, sentence, index + 1, sites, previous, speakers, actors)
        if len(incidents) > before:
            previous = incidents[before:]
    return consolidate(incidents, sentences, dates, sites, actors, _event_type, set_aside, published)


def _same_places(article: str, sentence: Sentence, number: int, sites: list[dict], previous: list[dict],
                 speakers: list[dict], actors: list[dict]) -> None:
    """A sentence that reports no event of its own and names only places of the attacks of the sentence before
    ("Air defences at X brought one down, an official said") tells more about those attacks: its span, source
    and (for a single attack) casualties are added to them."""
    mentions = _inside(sites, sentence.start, sentence.end)
    if not mentions or not previous:
        return
    targets = [i for i in previous if i["site_id"] and any(m["site_id"] == i["site_id"] for m in mentions)]
    if not targets or any(m["site_id"] not in {t["site_id"] for t in targets} for m in mentions):
        return
    casualties = find_casualties(article, sentence.start, sentence.end) if len(targets) == 1 else None
    for target in targets:
        _merge(target, sentence, None, casualties, speakers, _inside(actors, sentence.start, sentence.end),
               number=number, reason=f"sentence {number} tells more about the attack at {target['place']} "
                                     f"(sentence {target['sentence']}) and reports no other")


def _later_casualties(article: str, sentence: Sentence, number: int, sites: list[dict], previous: list[dict],
                      speakers: list[dict]) -> None:
    """Casualties stated in a sentence that names no site and reports no event of its own ("Two soldiers were
    wounded.") belong to the attack of the sentence before (within two sentences), when it reported one."""
    if len(previous) != 1 or _inside(sites, sentence.start, sentence.end) or _CUMULATIVE.search(sentence.text):
        return  # "21 personnel have suffered minor injuries since Oct. 17" is a running figure, not this attack's
    target = previous[0]
    if number - target["sentence"] > 2:
        return
    casualties = find_casualties(article, sentence.start, sentence.end)
    if not casualties["evidence"] or not all(target[k] is None for k in ("killed", "killed_max", "injured", "injured_max")):
        return
    _merge(target, sentence, None, casualties, speakers, [], number=number,
           reason=f"casualties from sentence {number}, which names no site, given to the attack of sentence "
                  f"{target['sentence']}")


def _opposed(article: str, actors: list[dict]) -> list[dict]:
    """Mark the groups named as what the troops fight ("the coalition against ISIS", "against the Islamic State
    [ISIS]") with role ``opposed``: never the attacker."""
    out: list[dict] = []
    for actor in actors:
        before = out[-1] if out else None
        echoed = before is not None and before["role"] == "opposed" and \
            re.fullmatch(r"[\s\[\]()'\",/-]{0,6}", article[before["end"]:actor["start"]])
        if echoed or _OPPOSED.search(article, max(0, actor["start"] - _LOOK), actor["start"]):
            actor = {**actor, "role": "opposed"}
        out.append(actor)
    return out


def _clauses(sentence: Sentence, sites: list[dict]) -> list[tuple[int, int, bool]]:
    """Parts of a sentence that report events of their own, as ``(start, end, answered)``.

    The main clause and the one about an earlier event ("..., a day after X
    was hit", "in response to an attack on X", "the counterstrikes to the
    attack on X"; ``answered`` is True for these); and parts joined by "; "
    or ", and two/a/..." when each names a site and has an event word ("two
    drones hit X, and a rocket landed near Y").
    """
    text = sentence.text
    cuts = [0]
    for connector in _CONNECTOR.finditer(text):  # "... in response to the attack, which came a day after a drone attack ..."
        cut = connector.start() if connector.group()[:1].isspace() else connector.end()
        if _TRIGGER.search(text, cut) and _TRIGGER.search(text, cuts[-1], cut) and cut > cuts[-1]:
            cuts.append(cut)
    parts = list(zip(cuts, cuts[1:] + [len(text)]))
    out = []
    for number, (low, high) in enumerate(parts):
        cuts = [low] + [m.start() for m in _JOIN.finditer(text, low, high)] + [high]
        pieces = list(zip(cuts, cuts[1:]))
        if len(pieces) > 1 and all(_TRIGGER.search(text, a, b) and _inside(sites, sentence.start + a, sentence.start + b)
                                   for a, b in pieces):
            out += [(a, b, number > 0) for a, b in pieces]
        else:
            out.append((low, high, number > 0))
    return [(sentence.start + a, sentence.start + b, answered) for a, b, answered in out]


def _inside(items: list[dict], start: int, end: int) -> list[dict]:
    """The items (sorted by ``start``) that lie within ``[start, end)``; a binary search, then the few in range."""
    first = bisect_left(items, start, key=_start_of)
    out = []
    for index in range(first, len(items)):
        item = items[index]
        if item["start"] >= end:
            break
        if item["end"] <= end:
            out.append(item)
    return out


def _start_of(item: dict) -> int:
    return item["start"]


def _clause_incidents(article, sentence, start, end, sites, dates, actors, speakers, following, earlier,
                      number: int = 0, provinces: dict[str, str] | None = None) -> list[dict]:
    text = article[start:end]
    trigger = next((m for m in _TRIGGER.finditer(text)
                    if not _HYPOTHETICAL.search(text, max(0, m.start() - _LOOK), m.start())), None)
    if trigger is None:
        return []
    event_type = _event_type(text)
    if event_type is None:
        return []
    mentions = _inside(sites, start, end)
    mentions = [m for i, m in enumerate(mentions) if i == 0 or not _LANDMARK.search(article, max(start, m["start"] - 60),
                                                                                  m["start"])]
    if event_type == "us_strike":  # "responded to the attacks on X by striking Y": X was attacked, Y is struck
        mentions = [m for m in mentions if not _ATTACKED_PLACE.search(article, max(start, m["start"] - 60), m["start"])]
    named = [(a["start"] - start, a["end"] - start) for a in _inside(actors, start, end)]
    countries = sorted({m.group("country") for m in _COUNTRY.finditer(text)
                        if not any(a <= m.start() < b for a, b in named)}  # not "Islamic Resistance in Iraq"
                       | {_ADJECTIVES[m.group("adjective")] for m in _COUNTRY_ADJECTIVE.finditer(text)}
                       | _province_countries(text, provinces))
    countries = [c for c in countries if not _BORDER_ONLY.search(text, 0, _first(text, c))] or countries
    countries = [c for c in countries if not _ORIGIN_ONLY.search(text, 0, _first(text, c))]  # "from the Iraqi side"
    when = _incident_date(article, _inside(dates, start, end))
    if when is None and following and not _inside(sites, following[0].start, following[0].end) \
            and _ANNOUNCED.match(following[0].text):  # "... attacked two bases in Syria. This was announced on January 21"
        days = [d for d in _inside(dates, following[0].start, following[0].end) if d["precision"] == "day"]
        when = days[0] if len(days) == 1 else None
    casualties = find_casualties(article, start, end)
    stated = any(casualties[k] is not None for k in ("killed", "killed_max", "injured", "injured_max"))
    reference = _REFERENCE.search(text)
    if reference and earlier:
        target = _earlier_incident(earlier, mentions, when, sentence, event_type)
        if target is not None:
            _merge(target, sentence, when, casualties, speakers, _inside(actors, sentence.start, sentence.end),
                   number=number)
            return []
    if _OTHER_FORCE_TARGET.search(text) and not any(m["site_id"] for m in mentions):
        return []  # "two drones hit a Peshmerga base": not the bases of US and coalition forces
    if not mentions and not countries and not (when and when["precision"] == "day" and _REFERENCE.search(text)):
        return []  # a lead that dates "the attack" it names no place for is kept, to be folded into the attack told next
    actor = _actor(event_type, _inside(actors, start, end), text, following, actors, sites, offset=start)
    base = {
        "event_type": event_type, "event_label": EVENT_TYPES[event_type],
        **_date_fields(when), **_casualty_fields(casualties),
        **actor, **_confirmation(speakers),
        "multiple": bool(_PLURAL.search(text)) and not _SINGLE.search(text),
        "trigger": span(article, start + trigger.start(), start + trigger.end()),
        "evidence": sentence.span(), "more_evidence": [], "review": [],
    }
    if when is None:
        base["review"].append("the sentence gives no date")
    elif when["kind"] == "relative":
        base["review"].append(f"date resolved from '{when['text']}': {when['rule']}")
    if not mentions:
        return [{**base, **_place(None, countries)}]
    out = []
    clauses = _site_clauses(article, start, end, mentions)
    types = _site_types(article, mentions, clauses, event_type) if len(mentions) > 1 and event_type != "us_strike" \
        else [event_type] * len(mentions)
    for mention, own, (low, high) in zip(mentions, types, clauses):
        record = {**base, **_place(mention, countries), "review": list(base["review"]), "more_evidence": []}
        own_day = _incident_date(article, _inside(dates, low, high)) if len(mentions) > 1 else None
        if own_day is not None and when is not None and own_day["start"] != when["start"]:
            record.update(_date_fields(own_day))  # "... near X, and on Thursday another drone targeted Y"
        if own != event_type:
            record.update({"event_type": own, "event_label": EVENT_TYPES[own]})
        if len(mentions) > 1 and stated:
            nearest = min(mentions, key=lambda m: _distance(m, casualties["evidence"]))
            if mention is not nearest:
                record.update({k: None for k in ("killed", "killed_max", "injured", "injured_max")})
                record["casualty_evidence"] = []
            record["review"].append("the sentence names several sites; casualty figures were given to the nearest one")
        if mention["status"] != "resolved":
            record["review"].append(f"place '{mention['text']}' matches no site of the gazetteer ({mention['status']})")
        out.append(record)
    return out


def _site_clauses(article: str, start: int, end: int, mentions: list[dict]) -> list[tuple[int, int]]:
    """The clause of each site mention in ``article[start:end]``: from the boundary ("and", "but", ",", ";")
    after the previous mention to the one after this mention; without a boundary, from the end of the previous
    mention to the start of the next. An "and" between two weapons ("rockets and drones") is no boundary."""
    cuts = []
    for left, right in zip(mentions, mentions[1:]):
        cut = None
        for boundary in _BOUNDARY.finditer(article, left["end"], right["start"]):
            before = _LAST_WORDS.search(article, max(start, boundary.start() - _LOOK), boundary.start())
            after = article[boundary.end():min(end, boundary.end() + _LOOK)]
            after = after[_QUANTITY.match(after).end():]
            if not (before and _is_weapon(before.group(), re.search) and _is_weapon(after, re.match)):
                cut = (boundary.start(), boundary.start())
                break
        cuts.append(cut or (right["start"], left["end"]))
    lows = [start] + [low for _, low in cuts]
    highs = [high for high, _ in cuts] + [end]
    return list(zip(lows, highs))


def _first(text: str, country: str) -> int:
    """Where ``country`` (or its adjective, "Iraqi") is first named in ``text``."""
    adjective = {v: k for k, v in _ADJECTIVES.items()}[country]
    found = re.search(rf"\b(?:{country}|{adjective})\b", text)
    return found.start() if found else 0


def _province_countries(text: str, provinces: dict[str, str] | None) -> set[str]:
    """Countries of the provinces a clause names ("the northern province of Kirkuk" names Iraq)."""
    if not provinces:
        return set()
    return {country for name, country in provinces.items()
            if re.search(rf"\b(?:province|governorate) of (?:al-)?{re.escape(name)}\b|\b(?:al-)?{re.escape(name)} "
                         rf"(?:province|governorate)\b", text, re.IGNORECASE)}


def _site_types(article: str, mentions: list[dict], clauses: list[tuple[int, int]], whole: str) -> list[str]:
    """The type of each site of a clause that names several: from the weapon words of its own clause; a site
    listed together with the one before or after it ("Ain al-Asad and Tall Baydar", nothing but "and" or a
    comma between them) shares that one's type; a site left without a weapon is "unknown" when another site's
    clause holds the weapon words ("a drone was shot down near X, and attacks at Y" gives Y no drone), else
    takes the whole clause's type."""
    own = [_event_type(article[low:high]) or "unknown" for low, high in clauses]
    own = ["unknown" if kind == "us_strike" else kind for kind in own]
    for i in range(1, len(own)):  # "drones were launched at X and another was launched at Y": the same weapon
        if own[i] == "unknown" and own[i - 1] != "unknown" and _ELLIPSIS.search(article, clauses[i][0], clauses[i][1]):
            own[i] = own[i - 1]
    listed = [_listed_together(article, left, right) for left, right in zip(mentions, mentions[1:])]
    for order in (range(1, len(own)), range(len(own) - 2, -1, -1)):
        for i in order:
            neighbour = i - 1 if order.step == 1 else i + 1
            if own[i] == "unknown" and own[neighbour] != "unknown" and listed[min(i, neighbour)]:
                own[i] = own[neighbour]
    if all(kind == "unknown" for kind in own):
        return [whole] * len(own)
    return own


_ELLIPSIS = re.compile(r"\b(?:another|one more|the other|a second|a third)\b(?!\s{1,10}(?:attack|strike|assault))", re.IGNORECASE)
_LIST_JOIN = re.compile(r"(?:\s{0,10},)?\s{1,10}(?:and|or|as well as)\s{1,10}(?:(?:one|another|the other)\s{1,10})?"
                        r"(?:the\s{1,10}|at\s{1,10}|in\s{1,10}|near\s{1,10}|at\s{1,10}the\s{1,10})?|"
                        r"\s{0,10},\s{1,10}(?:the\s{1,10})?")


def _listed_together(article: str, left: dict, right: dict) -> bool:
    return bool(_LIST_JOIN.fullmatch(article, left["end"], right["start"]) or
                _LIST_JOIN_LONG.fullmatch(article, left["end"], right["start"]))


#: "... in al-Malikiyah and Rumailan in the al-Hasakah province, as well as the U.S. Green Village base".
_LIST_JOIN_LONG = re.compile(r"(?:\s{1,10}(?:in|near)\s{1,10}(?:the\s{1,10})?[\w' -]{1,40}?(?:province|governorate|countryside|area))?"
                             r",?\s{1,10}(?:and|as well as)\s{1,10}(?:the\s{1,10})?(?:(?:U\.S\.|US|American)\s{1,10})?",
                             re.IGNORECASE)


def _is_weapon(text: str, find) -> bool:
    return any(find(pattern, text) for pattern in (_DRONE, _ROCKET, _MISSILE))


def _site_casualties(article: str, sentence: Sentence, sites: list[dict], earlier: list[dict],
                     speakers: list[dict], number: int = 0) -> None:
    """Add the casualty figures stated just before a site ("..., but one service member suffered minor injuries
    at X") to the earlier incident at X (within 400 characters)."""
    mentions = _inside(sites, sentence.start, sentence.end)
    if not mentions or not earlier:
        return
    low = sentence.start
    for mention in mentions:
        casualties = find_casualties(article, low, mention["end"])  # from the previous site on
        low = mention["end"]
        if not any(_AT_SITE.fullmatch(article, e["end"], mention["start"]) for e in casualties["evidence"]):
            continue
        target = next((i for i in reversed(earlier) if sentence.start - i["evidence"]["end"] < 400 and (
            i["site_id"] == mention["site_id"] if mention["site_id"] else i["site"] and i["site"]["text"] == mention["text"])), None)
        if target is not None:
            _merge(target, sentence, None, casualties, speakers, [], number=number,
                   reason=f"casualties at {mention['text']} in sentence {number} given to the attack there")


def _event_type(text: str) -> str | None:
    weapons = _DEFENSIVE.sub(" ", text)
    if _UNKNOWN_AIRCRAFT.search(text) and not _US_NAMED.search(text):
        return None  # "aircraft of unknown origin targeted a militia convoy": no party of the dataset's scope
    strike = _US_STRIKE.search(text)
    agent = _MILITANT_ACTS.search(text, 0, strike.start()) if strike else None
    named_us = _US_NAMED.search(text)
    if agent and not _US_AGENT.search(text) and (named_us is None or agent.start() < named_us.start()):
        strike = None  # "the Islamic Resistance targets US bases in retaliatory strikes": the militia's attack
    if strike or _US_AGENT.search(text):
        if _FOREIGN_STRIKE.search(text) and not _US_NAMED.search(text):
            return None  # another country's strike is not in the dataset's scope
        return "us_strike"
    drone, rocket, missile = (bool(p.search(weapons)) for p in (_DRONE, _ROCKET, _MISSILE))
    if missile:
        return "missile"
    if drone and rocket:
        return "mixed"
    return "drone" if drone else "rocket" if rocket else "unknown"


def _incident_date(article: str, dates: list[dict]) -> dict | None:
    """The most precise date of the clause that is not the start of a running total ("since Oct. 17"); of two as
    precise, not the one a speaker's verb follows ("On October 27, Austin said that on October 26, the US struck")."""
    usable = [d for d in dates if not d.get("dateline") and not _CAMPAIGN_DAY.search(article, max(0, d["start"] - 60), d["start"])]
    rank = {("day", "absolute"): 0, ("day", "relative"): 1, ("week", "relative"): 2, ("month", "relative"): 3,
            ("week", "absolute"): 3, ("month", "absolute"): 4}
    return min(usable, key=lambda d: (rank[(d["precision"], d["kind"])],
                                      bool(len(usable) > 1 and _SAID_AFTER.match(article, d["end"], d["end"] + _LOOK))),
               default=None)


def _date_fields(when: dict | None) -> dict:
    if when is None:
        return {"date": None, "date_end": None, "date_precision": None, "date_certainty": None, "date_evidence": None}
    if when["precision"] != "day":
        certainty = "approximate"
    else:
        certainty = "reported" if when["kind"] == "absolute" else "inferred"
    return {"date": when["date"], "date_end": when["date_end"], "date_precision": when["precision"],
            "date_certainty": certainty, "date_evidence": {k: when[k] for k in ("start", "end", "text")}}


def _casualty_fields(casualties: dict) -> dict:
    wording = {k: casualties[f"{k}_wording"] for k in ("killed", "injured") if casualties[f"{k}_wording"]}
    return {"killed": casualties["killed"], "killed_max": casualties["killed_max"],
            "injured": casualties["injured"], "injured_max": casualties["injured_max"],
            "casualty_wording": wording, "injury_severity": casualties["severity"],
            "casualty_evidence": casualties["evidence"]}


def _place(mention: dict | None, countries: list[str]) -> dict:
    if mention is None:
        return {"site": None, "site_id": None, "place": None, "country": ";".join(countries) or None,
                "lat": None, "lon": None}
    country = mention["country"] or (";".join(countries) or None)
    return {"site": {k: mention[k] for k in ("start", "end", "text", "status")}, "site_id": mention["site_id"],
            "place": mention["name"] or mention["text"], "country": country, "lat": mention["lat"], "lon": mention["lon"]}


def _actor(event_type: str, mentions: list[dict], text: str, following: list[Sentence], all_actors: list[dict],
           sites: list[dict], offset: int = 0) -> dict:
    """The striking party of a US strike, else the first group named (not as a backer) in the clause, else a
    group claiming in one of the next two sentences (up to one that names a site, which reports its own event)."""
    if event_type == "us_strike":
        coalition = next((m for m in mentions if m["kind"] == "coalition"), None)
        if coalition:
            return {"actor": coalition["name"], "actor_id": coalition["actor_id"], "actor_role": "striking party"}
        return {"actor": US_NAME, "actor_id": US_ACTOR_ID, "actor_role": "striking party"}
    groups = [m for m in mentions if m["role"] == "named" and m["kind"] == "armed group"]
    if groups:
        return {"actor": groups[0]["name"], "actor_id": groups[0]["actor_id"], "actor_role": _role(text)}
    for sentence in following:
        if _inside(sites, sentence.start, sentence.end):
            break
        claimed = [a for a in _inside(all_actors, sentence.start, sentence.end)
                   if a["role"] == "named" and a["kind"] == "armed group"]
        if claimed and _CLAIM.search(sentence.text):
            return {"actor": claimed[0]["name"], "actor_id": claimed[0]["actor_id"], "actor_role": "claimed"}
        if claimed and _BY_GROUP.search(sentence.text, 0, claimed[0]["start"] - sentence.start):
            return {"actor": claimed[0]["name"], "actor_id": claimed[0]["actor_id"], "actor_role": "blamed"}
    return {"actor": None, "actor_id": None, "actor_role": None}


def _confirmation(speakers: list[dict]) -> dict:
    kinds = [s["kind"] for s in speakers]
    if "US-official" in kinds:
        level = "US-official"
    elif "local-official" in kinds:
        level = "local-official"
    else:
        level = "claim-only"
    speaker = next((s for s in speakers if s["kind"] in ("US-official", "local-official")), speakers[0] if speakers else None)
    return {"confirmation": level, "reported_by": speaker["who"] if speaker else None,
            "attribution": {k: speaker[k] for k in ("start", "end", "text")} if speaker else None}


def _earlier_incident(earlier: list[dict], mentions: list[dict], when: dict | None, sentence: Sentence,
                      event_type: str | None = None) -> dict | None:
    """The incident "the attack on X" refers to: the last one at X (or the last one, within two sentences, when no site),
    never a US strike for an attack ("strikes on 85 targets in retaliation for the drone attack") or the reverse."""
    site_ids = {m["site_id"] for m in mentions if m["site_id"]}
    if not site_ids:
        mentions = []  # "the attack on the base in X Governorate": no site of its own, so the attack told before
    for incident in reversed(earlier):
        if event_type is not None and (event_type == "us_strike") != (incident["event_type"] == "us_strike"):
            continue
        if when and incident["date"] and not (incident["date"] <= when["date_end"] and when["date"] <= incident["date_end"]):
            continue
        if site_ids and incident["site_id"] in site_ids:
            return incident
        if not mentions and sentence.start - incident["evidence"]["end"] < 400:
            return incident
    return None


def _merge(target: dict, sentence: Sentence, when: dict | None, casualties: dict | None, speakers: list[dict],
           groups: list[dict], number: int = 0, reason: str | None = None) -> None:
    """Add what a later sentence says about ``target``: a date, casualty figures, a higher-ranking source, a group."""
    if target["more_evidence"] and target["more_evidence"][-1]["start"] == sentence.start:
        return
    target["more_evidence"].append(sentence.span())
    if target["date"] is None and when is not None:
        target.update(_date_fields(when))
    confirmation = _confirmation(speakers)
    if CONFIRMATION_RANK[confirmation["confirmation"]] > CONFIRMATION_RANK[target["confirmation"]]:
        target.update(confirmation)
    named = [g for g in groups if g["role"] == "named" and g["kind"] == "armed group"]
    if target["actor"] is None and named:
        target.update({"actor": named[0]["name"], "actor_id": named[0]["actor_id"], "actor_role": _role(sentence.text)})
    kind = _event_type(sentence.text)
    if target["event_type"] == "unknown" and kind in ATTACK_TYPES and kind != "unknown":
        target.update({"event_type": kind, "event_label": EVENT_TYPES[kind]})
    for key, value in (_casualty_fields(casualties) if casualties else {}).items():
        if key == "casualty_evidence":
            target[key] = target[key] + value
        elif key == "casualty_wording":
            target[key] = {**value, **target[key]}
        elif target.get(key) is None and value is not None:
            target[key] = value
    attach(target, "facts", number, reason or f"facts from sentence {number}, about the same attack, were added")


def _role(text: str) -> str:
    """How the text ties a group to an attack: ``claimed``, ``blamed`` (by others) or just ``named``."""
    return "claimed" if _CLAIM.search(text) else "blamed" if _BLAME.search(text) else "named"


def _distance(mention: dict, evidence: list[dict]) -> int:
    return min((abs(mention["start"] - e["start"]) for e in evidence), default=0)
