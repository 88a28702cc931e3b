#!/usr/bin/env python3
"""Build assets/examples/corridor-options.geojson, the example scenario that opens on first
start: the corridor options the region is debating, drawn through the named nodes of
../shared/data/corridors.geojson. Between two consecutive nodes that are both vertices of one
bundled rail line (geodata/rail.geojson, built by tools/geodata/build.py with its real-length
geometry), the alternative follows that line's vertices; elsewhere (new build between lines
that do not share the leg) it is a straight chord. So an alternative measures what the track it
reuses measures, and its existing-track km are the track's own.

    python3 tools/examples/make_example.py [path/to/corridors.geojson]

Each alternative keeps the sources of the lines it follows in its `description`, and carries
its published figures as properties the app and `compare` read (PublishedFigures):
`length_km_published` and `cost_usd_published` (numbers, or null when nothing was published
for the route as drawn), `published_year`, `published_source`, and `published_note` saying what
the figures cover when that is less than the whole route, or why there is none; a published
journey time as `time_h_published` ([low, high] hours, or null) with `time_published_source`.
Of corridors.md's figures only the UAP's length and time are for a route as drawn. No source
publishes the other four routes whole, so their published length is a composite, labelled as
one: `published_basis: "sum of sections"`, `published_sections` (each section's published km,
construction cost and source, from corridors.geojson/corridors.md or the source named), and
`published_missing` naming the stretches no figure covers (the sum is short by them). Their
published cost is the published cost of the construction the route needs (existing track
needs none and adds nothing; the note says which figure and what it leaves out). A figure for
one section is never given as the route's.

The scenario also carries a story (`corridor_atlas.story`): six slides that walk a room through
the options. A published number is taken from ../shared/data/corridors.md (its source named in
the slide's presenter notes) and said as "published"; a figure of the drawn line is a live
placeholder (`{length_km}`, `{cost}`, `{time}`, `{length_km:UAP}` …) the app fills from its
ledger, so a caption never states a number Compare does not show. Alternative ids are their
1-based position in ALTERNATIVES.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "corridors.geojson")
OUT = os.path.join(ROOT, "assets", "examples", "corridor-options.geojson")

WEST_TRUNK = [
    "Serhetabat (Kushka)", "Torghundi", "Herat", "Adraskan", "Shindand", "Farah",
    "Khash (proxy for Ghorghori, Nimroz)", "Lashkar Gah", "Kandahar", "Spin Boldak", "Chaman",
    "Khojak Tunnel (Shelabagh)", "Qila Abdullah", "Quetta",
]
# Published sections (section, km, construction cost USD or None, source). Existing track needs
# no construction: its cost is None and adds nothing to a route's construction cost.
S_TORGHUNDI_HERAT = ("Torghundi-Herat", 115, 500_000_000, "News.az, MoU of 10 Jul 2025 (115 km; $500 m pledged by Kazakhstan)")
S_HERAT_KANDAHAR = ("Herat-Kandahar", 737.5, None, "Railway Gazette, 10 Feb 2025 (737.5 km design, five sections; no cost published)")
S_KANDAHAR_SPIN_BOLDAK = ("Kandahar-Spin Boldak", 96, None, "Railway Gazette, 'Afghan railway extension surveys underway' (96 km surveyed; no cost published)")
S_CHAMAN_QUETTA = ("Chaman-Quetta (ML-3, existing)", 142, None, "Rohri-Chaman line km posts: Quetta 381, Chaman 523 (corridors.md)")
S_QUETTA_ROHRI = ("Quetta-Rohri (ML-3, existing)", 381, None, "Rohri-Chaman line km posts: Quetta 381 (corridors.md)")
S_ROHRI_KARACHI = ("Rohri-Karachi (ML-1, existing)", 480, None, "Pakistan Ministry of Railways five-phase ML-1 plan, 2026 (Karachi-Rohri 480 km; corridors.md)")
S_MASTUNG_GWADAR = ("Mastung-Gwadar (planned)", 961, None, "Business Recorder, 2006 (Gwadar-Mastung 961 km; costed only in rupees, Rs 70.63 bn)")
S_TEJEN_MASHHAD = ("Tejen-Sarakhs-Mashhad (existing)", 295, None, "UPI, 13 May 1996, citing IRNA (Mashhad-Sarakhs-Tejen, 295 km of new track)")
S_MASHHAD_BAFQ = ("Mashhad-Bafq (existing)", 800, None, "Railway Gazette, 2005, RAI president at the opening (about 800 km; corridors.md)")
S_BAFQ_BANDAR_ABBAS = ("Bafq-Bandar Abbas (existing)", 626, None, "rogerfarnworth.com (Bafq-Bandar Abbas 626 km; corridors.md)")
S_BAFQ_KERMAN = ("Bafq-Kerman (existing)", 236, None, "Wikipedia (de), 'Bahnstrecke Qom-Zahedan' km posts: Bafq 428, Kerman 664")
S_KERMAN_BAM = ("Kerman-Bam (existing)", 225, None, "Railway Gazette, 'Closing the gap from Bam to Zahedan' (Kerman-Bam 225 km, completed Dec 2004)")
S_ZAHEDAN_CHABAHAR = ("Zahedan-Chabahar (under construction)", 628, 1_500_000_000, "IRNA, 10 Jul 2020 (628 km); Zee News, May 2025 (~$1.5 bn)")

IRAN_TRUNK = ["Tejen", "Sarahs (TM)", "Sarakhs (IR)", "Mashhad", "Fariman", "Torbat-e Heydarieh", "Tabas", "Bafq"]

ALTERNATIVES = [
    {
        "title": "West: KTAP via Herat, Kandahar, Chaman to Karachi",
        "stroke": "#783cc8", "status": "proposed", "gauge_mm": 1520,
        "nodes": WEST_TRUNK + ["Mach", "Sibi", "Dera Murad Jamali", "Jacobabad", "Shikarpur", "Rohri",
                               "Nawabshah", "Hyderabad", "Kotri", "Karachi"],
        "published": {
            "sections": [S_TORGHUNDI_HERAT, S_HERAT_KANDAHAR, S_KANDAHAR_SPIN_BOLDAK, S_CHAMAN_QUETTA,
                         S_QUETTA_ROHRI, S_ROHRI_KARACHI],
            "missing": "Serhetabat-Torghundi (existing spur), Spin Boldak-Chaman (border crossing)",
            "cost_usd": 7_000_000_000, "year": 2026,
            "source": "Ambassador Kistafin to Geo News, 27 Jan 2026 (cost); sections as listed",
            "note": "No single published length for the route to Karachi (the ~687 km quoted is the Afghan segment "
                    "alone): the length is the sum of 6 published sections. The cost is the ~$7 bn Kazakhstan offered "
                    "for the whole KZ-TM-AF-PK line, its Afghan new build (Torghundi-Herat's $500 m pledge is part of "
                    "it; Herat-Kandahar and Kandahar-Spin Boldak have no cost of their own); the existing ML-3/ML-1 "
                    "track needs no construction.",
        },
        "description": "Kazakhstan-Turkmenistan-Afghanistan-Pakistan line (Kazakhstan offered ~$7 bn; Afghan segment ~687 km). "
                       "Herat-Kandahar 737.5 km design (Railway Gazette, Feb 2025); Kandahar-Spin Boldak 96 km; on to Karachi over ML-3/ML-1 (1,676 mm).",
    },
    {
        "title": "West: KTAP via Herat, Kandahar, Quetta to Gwadar",
        "stroke": "#e6be00", "status": "proposed", "gauge_mm": 1520,
        "nodes": WEST_TRUNK + ["Mastung", "Kalat", "Surab (near Besima junction)", "Panjgur", "Turbat", "Gwadar", "Gwadar Port"],
        "published": {
            "sections": [S_TORGHUNDI_HERAT, S_HERAT_KANDAHAR, S_KANDAHAR_SPIN_BOLDAK, S_CHAMAN_QUETTA,
                         S_MASTUNG_GWADAR],
            "missing": "Serhetabat-Torghundi (existing spur), Spin Boldak-Chaman (border crossing), Quetta-Mastung",
            "cost_usd": 7_000_000_000, "year": 2026,
            "source": "Ambassador Kistafin to Geo News, 27 Jan 2026 (cost); sections as listed",
            "note": "No single published length for the route to Gwadar: the length is the sum of 5 published "
                    "sections. The cost is incomplete: the ~$7 bn Kazakhstan offered for the KTAP line (its Afghan "
                    "new build) only; the planned Gwadar-Mastung link is costed only in rupees (Rs 70.63 bn, 2006, "
                    "Business Recorder) and is not converted or added. Chaman-Quetta is existing track.",
        },
        "description": "Western trans-Afghan line continued over the planned Gwadar-Mastung link (961 km, CPEC long term; Gwadar has no rail link today).",
    },
    {
        "title": "East: UAP via Mazar-i-Sharif, Logar, Kharlachi to Peshawar",
        "stroke": "#009e73", "status": "proposed", "gauge_mm": 1520,
        "nodes": ["Termez", "Hairatan", "Naibabad (Mazar-i-Sharif rail terminal)", "Aybak", "Pul-e Khumri", "Doshi",
                  "Shibar Pass", "Jalrez (Unai pass road)", "Maidan Shahr", "Pul-e Alam (Logar)", "Chamkani (Paktia)",
                  "Kharlachi", "Parachinar", "Alizai", "Hangu", "Kohat", "Peshawar"],
        "published": {
            "length_km": 647, "cost_usd": 4_600_000_000, "year": 2025,
            "source": "TASS / Gazeta.uz, 21 Jul 2025",
            "note": "647 km and $4.6 bn are Termez-Kharlachi; the drawn route goes on over the planned Kharlachi-Kohat "
                    "link (192 km, $642 m, KP government) to Peshawar, so it measures longer.",
            "tunnels": "5 long tunnels and >300 bridges (TASS/Gazeta.uz, Jul 2025); the superseded Mazar-Torkham variant: 80 tunnels totalling 148 km (Uzbek feasibility study, Jan 2023)",
            # "Freight time cut from 35 days to 3-5 days": Uzbekistan to Pakistan door to door.
            "time_h": [72, 120],
            "time_source": "TASS / Gazeta.uz, 21 Jul 2025: Uzbekistan-Pakistan freight cut from 35 days to 3-5 days, "
                           "door to door (terminals, customs and transshipment included, destinations beyond the line)",
        },
        "description": "Uzbekistan-Afghanistan-Pakistan 'Kabul corridor' (647 km, $4.6 bn, TASS/Gazeta.uz Jul 2025); Naibabad-Maidan Shahr section not published (indicative via Shibar/Unai); Kohat-Kharlachi 192 km, $642 m (KP government).",
    },
    {
        "title": "Iran: North-South via Mashhad, Bafq to Bandar Abbas",
        "stroke": "#33bbee", "status": "existing", "gauge_mm": 1435,
        "nodes": IRAN_TRUNK + ["Sirjan", "Bandar Abbas", "Bandar Abbas port (Shahid Rajaee)"],
        "published": {
            "sections": [S_TEJEN_MASHHAD, S_MASHHAD_BAFQ, S_BAFQ_BANDAR_ABBAS],
            "missing": "Bandar Abbas-Shahid Rajaee port spur",
            "cost_usd": 0, "year": 2005,
            "source": "sections as listed (UPI/IRNA 1996; Railway Gazette 2005; rogerfarnworth.com)",
            "note": "No single published length for the route: the length is the sum of 3 published sections "
                    "(Mashhad-Bafq 'about 800 km'). An existing line: no construction is needed, so its published "
                    "construction cost is $0 and there is no cost ratio (the estimate is the ledger's upgrade of "
                    "existing track).",
        },
        "description": "Benchmark: existing Iranian 1,435 mm lines from the Turkmen border at Sarakhs (break of gauge) to Bandar Abbas (Mashhad-Bafq ~800 km, Bafq-Bandar Abbas 626 km).",
    },
    {
        "title": "Iran: via Zahedan to Chabahar",
        "stroke": "#00c8c8", "status": "under-construction", "gauge_mm": 1435,
        "nodes": IRAN_TRUNK + ["Zarand", "Kerman", "Bam", "Zahedan", "Khash (IR)", "Iranshahr", "Nikshahr", "Chabahar port (Shahid Beheshti)"],
        "published": {
            "sections": [S_TEJEN_MASHHAD, S_MASHHAD_BAFQ, S_BAFQ_KERMAN, S_KERMAN_BAM, S_ZAHEDAN_CHABAHAR],
            "missing": "Bam-Zahedan (existing; no published length found)",
            "cost_usd": 1_500_000_000, "year": 2025,
            "source": "IRNA, 10 Jul 2020 (628 km); Tehran Times, 25 Oct 2025 (84% complete); Zee News, May 2025 (~$1.5 bn); sections as listed",
            "note": "No single published length for the route from Tejen: the length is the sum of 5 published "
                    "sections. The ~$1.5 bn is Chabahar-Zahedan, the only construction on the route; the rest is "
                    "existing track.",
        },
        "description": "Benchmark: Chabahar-Zahedan 628 km, ~$1.5 bn, 84% complete Oct 2025, target Mar 2026 (Tehran Times, IRNA).",
    },
]


# Layers every slide shows (ids of the bundled layers); explicit on each slide so the GUI and
# an exported PNG agree whatever the previous slide showed.
SLIDE_LAYERS = ["countries", "borders", "rail", "rail_points", "ports", "cities"]

SLIDES = [
    {
        "title": "Central Asia to the Arabian Sea",
        "caption": "Landlocked Central Asia wants a short rail route to the sea. Five options are on the table:\n"
                   "- two **western** lines through Herat and Kandahar (KTAP)\n"
                   "- one **eastern** line through Kabul (UAP)\n"
                   "- Iran's lines as the **benchmark**\n\n"
                   "At stake (published): **$4.6–7 bn** per trans-Afghan line, and freight times promised down from **35 days to 3–5**.",
        "notes": "Open on the whole region: Kazakhstan and Uzbekistan in the north, the ports of Karachi, Gwadar, "
                 "Bandar Abbas and Chabahar in the south. Three gauges meet here: 1,520 mm (ex-Soviet, also adopted by "
                 "Afghanistan on 20 Oct 2025), 1,676 mm (Pakistan) and 1,435 mm (Iran). Figures: Kazakhstan ~$7 bn "
                 "(Geo News, 27 Jan 2026); UAP $4.6 bn, 35 to 3-5 days (TASS/Gazeta.uz, Jul 2025).",
        # Frame the corridor (every alternative), not the whole bundled region.
        "view": {"kind": "fit-alignments", "alignments": []},
        "highlight": [], "reveal": None,
    },
    {
        "title": "West: KTAP to Karachi",
        "caption": "Kazakhstan–Turkmenistan–Afghanistan–Pakistan, through Herat, Kandahar and Chaman.\n"
                   "- Published: Kazakhstan offered to finance it, **about $7 bn**; Afghan segment **about 687 km**, about 3 years to build; Herat–Kandahar **737.5 km** design in five sections\n"
                   "- On to Karachi over ML-3 and ML-1 (1,676 mm)\n"
                   "- As drawn: **{length_km}** ({existing_km} on existing track), about **{cost}**, **{time}** by heavy freight train",
        "notes": "Sources: Ambassador Kistafin to Geo News, 27 Jan 2026 (~$7 bn, ~687 km, ~3 years, entry at Chaman); "
                 "Railway Gazette, Feb 2025 (Herat-Kandahar 737.5 km via Shindand, Farah, Ghorghori, Lashkar Gah). "
                 "Torghundi-Herat: 115 km MoU of 10 Jul 2025 with $500 m from Kazakhstan (News.az). "
                 "Kandahar-Spin Boldak 96 km, surveyed. Break of gauge 1,520/1,676 mm at Spin Boldak/Chaman.",
        "view": {"kind": "fit-alignments", "alignments": [1]},
        "highlight": [1], "reveal": 1,
    },
    {
        "title": "West: the branch to Gwadar",
        "caption": "The same trans-Afghan trunk to Quetta, then south-west to the deep-water port of Gwadar.\n"
                   "- Gwadar has **no rail link** today\n"
                   "- Published: a planned Gwadar–Mastung line of **961 km**, a long-term CPEC project\n"
                   "- As drawn: **{length_km}**, about **{cost}**, **{time}** by heavy freight train\n"
                   "- Gwadar is about 470 km from Karachi in a straight line",
        "notes": "Gwadar-Mastung was costed at Rs 70.63 bn in 2006; its feasibility study was done in 2019. "
                 "A Besima-Jacobabad line of 300 km is also planned. Both are long-term CPEC projects. "
                 "The 470 km is a computed straight-line distance, not a route.",
        "view": {"kind": "fit-alignments", "alignments": [2]},
        "highlight": [2], "reveal": 2,
    },
    {
        "title": "East: UAP through Kabul",
        "caption": "Uzbekistan–Afghanistan–Pakistan, from Termez over the Hindu Kush to Peshawar.\n"
                   "- Published: **647 km** and **$4.6 bn** for Termez–Kharlachi; freight time from **35 days to 3–5 days** door to door; more than 300 bridges and 5 long tunnels\n"
                   "- As drawn, on to Peshawar: **{length_km}**, about **{cost}**, **{time}** by heavy freight train\n"
                   "- Its design line: **{tunnel_km}** of tunnel, **{bridge_km}** of bridges, {tight_curves} curves below the minimum radius",
        "notes": "TASS/Gazeta.uz, Jul 2025. Other estimates: $7 bn (Kun.uz), $8.2 bn (Pakistan Ministry of Railways, "
                 "Dec 2024), 764 km and $6 bn (Afghan Railway Authority). The Naibabad-Maidan Shahr section is not "
                 "published: drawn via Shibar (3,000 m) and the Unai road (3,700 m), indicative. "
                 "Kohat-Kharlachi 192 km, $642 m (KP government).",
        "view": {"kind": "fit-alignments", "alignments": [3]},
        "highlight": [3], "reveal": 3,
    },
    {
        "title": "Benchmark: Iran's routes to the sea",
        "caption": "Iran's 1,435 mm lines from the Turkmen border at Sarakhs.\n"
                   "- To Bandar Abbas: open today, **{length_km:Bandar Abbas}** as drawn, **{time:Bandar Abbas}** by train (published: Mashhad–Bafq about 800 km, Bafq–Bandar Abbas 626 km)\n"
                   "- To Chabahar: **{length_km:Chabahar}** as drawn, **{time:Chabahar}** by train (published: Chabahar–Zahedan **628 km**, about **$1.5 bn**, 84 % complete in Oct 2025)\n"
                   "- A break of gauge at Sarakhs (1,520/1,435 mm)",
        "notes": "Chabahar-Zahedan: operation targeted by Mar 2026 (Tehran Times, IRNA). Mashhad-Sarakhs 165 km. "
                 "Bogie exchange at Sarakhs. These routes exist or are nearly done: the yardstick for time and cost.",
        "view": {"kind": "fit-alignments", "alignments": [4, 5]},
        "highlight": [4, 5], "reveal": None,
    },
    {
        "title": "Comparing the options",
        "caption": "Five ways to the sea.\n"
                   "- The trans-Afghan lines are new build at 1,520 mm and meet Pakistan's 1,676 mm at Chaman or Kharlachi\n"
                   "- The eastern line is the shortest (**{length_km:UAP}** as drawn to Peshawar; published: 647 km to Kharlachi) but crosses the Hindu Kush at 3,000–3,700 m\n"
                   "- Iran's lines exist or are nearly done, with a break of gauge at Sarakhs",
        "notes": "Open the ledger for km per country, new build against existing track, cost and time per option. "
                 "Most figures come from news reports and many conflict (see the caveats in corridors.md); the lines "
                 "run through their cited stations and towns, not surveyed alignments.",
        "view": {"kind": "fit-alignments", "alignments": []},
        "highlight": [1, 2, 3, 4, 5], "reveal": None,
        # The ledger table and the existing/new-build chart, computed live from the ledger.
        "kind": "comparison",
    },
]


def story():
    slides = []
    for i, s in enumerate(SLIDES, start=1):
        slide = {"id": i, "title": s["title"], "caption": s["caption"], "notes": s["notes"],
                 "view": s["view"], "layers": SLIDE_LAYERS, "highlight": s["highlight"], "reveal": s["reveal"]}
        if "kind" in s:
            slide["kind"] = s["kind"]
        refs = set(s["highlight"]) | set(s["view"].get("alignments", [])) | ({s["reveal"]} if s["reveal"] else set())
        bad = [r for r in refs if not 1 <= r <= len(ALTERNATIVES)]
        if bad:
            sys.exit(f"slide {i}: no alternative {bad}")
        slides.append(slide)
    return {"slides": slides}


def published_km(p):
    """The route's published length: one publication's figure, else the sum of its sections."""
    if "sections" in p:
        return sum(s[1] for s in p["sections"])
    return p["length_km"]


def composite(p):
    """The properties that label a composite figure (PublishedFigures reads them)."""
    if "sections" not in p:
        return {}
    return {
        "published_basis": "sum of sections",
        "published_sections": [{"section": n, "km": km, "cost_usd": cost, "source": src}
                               for n, km, cost, src in p["sections"]],
        "published_missing": p["missing"],
    }


RAIL = os.path.join(ROOT, "geodata", "rail.geojson")


def rail_legs():
    """Every bundled rail line's vertices (lon, lat), for following between two nodes."""
    rail = json.load(open(RAIL, encoding="utf-8"))
    return [[tuple(c) for c in f["geometry"]["coordinates"]]
            for f in rail["features"] if f["geometry"]["type"] == "LineString"]


def follow(lines, a, b):
    """The vertices from node position `a` to `b` along one bundled line that has both as
    vertices (the shortest such stretch, in either direction), or the chord [a, b]."""
    best = None
    for line in lines:
        if a not in line or b not in line:
            continue
        i, j = line.index(a), line.index(b)
        leg = line[i:j + 1] if i <= j else line[j:i + 1][::-1]
        if best is None or len(leg) < len(best):
            best = leg
    return best or [a, b]


def main():
    src = json.load(open(SRC, encoding="utf-8"))
    lines = rail_legs()
    points = {f["properties"]["name"]: f["geometry"]["coordinates"]
              for f in src["features"] if f["geometry"] and f["geometry"]["type"] == "Point"}
    features = []
    for i, alt in enumerate(ALTERNATIVES, start=1):
        missing = [n for n in alt["nodes"] if n not in points]
        if missing:
            sys.exit(f"{alt['title']}: nodes not in {SRC}: {missing}")
        nodes = [(round(points[n][0], 4), round(points[n][1], 4)) for n in alt["nodes"]]
        coords = [list(nodes[0])]
        followed = 0
        for a, b in zip(nodes, nodes[1:]):
            leg = follow(lines, a, b)
            followed += len(leg) > 2
            coords.extend(list(c) for c in leg[1:])
        print(f"{alt['title']}: {followed} of {len(nodes) - 1} legs follow bundled track through its vertices, "
              f"{len(coords)} vertices")
        features.append({
            "type": "Feature",
            "properties": {
                "title": alt["title"], "name": alt["title"], "description": alt["description"],
                "stroke": alt["stroke"], "stroke-width": 3, "stroke-opacity": 1.0,
                "corridor_atlas_id": i, "status": alt["status"], "gauge_mm": alt["gauge_mm"],
                "nodes": alt["nodes"],
                "length_km_published": published_km(alt["published"]),
                "cost_usd_published": alt["published"]["cost_usd"],
                "published_year": alt["published"]["year"],
                "published_source": alt["published"]["source"],
                "published_note": alt["published"]["note"],
                **composite(alt["published"]),
                **({"published_tunnels": alt["published"]["tunnels"]} if "tunnels" in alt["published"] else {}),
                "time_h_published": alt["published"].get("time_h"),
                "time_published_source": alt["published"].get("time_source"),
            },
            "geometry": {"type": "LineString", "coordinates": coords},
        })
    doc = {
        "type": "FeatureCollection",
        "corridor_atlas": {"version": 1, "next_id": len(ALTERNATIVES) + 1, "story": story()},
        "features": features,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection",\n"corridor_atlas":' + json.dumps(doc["corridor_atlas"], ensure_ascii=False) + ',\n"features":[\n')
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False) for ft in features))
        f.write("\n]}\n")
    print(f"wrote {OUT}: {len(features)} alternatives, {len(SLIDES)} slides")


if __name__ == "__main__":
    main()
