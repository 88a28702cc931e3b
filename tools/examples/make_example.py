#!/usr/bin/env python3
"""Build assets/examples/corridor-options.geojson, the example scenario that opens on first
start: the corridor options the region is debating, drawn through the named nodes of
../shared/data/corridors.geojson (straight chords between nodes, like the source data).

    python3 tools/examples/make_example.py [path/to/corridors.geojson]

Each alternative keeps the sources of the lines it follows in its `description`.
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
IRAN_TRUNK = ["Tejen", "Sarahs (TM)", "Sarakhs (IR)", "Mashhad", "Fariman", "Torbat-e Heydarieh", "Tabas", "Bafq"]

ALTERNATIVES = [
    {
        "title": "West: KTAP via Herat, Kandahar, Chaman to Karachi",
        "stroke": "#d62728", "status": "proposed", "gauge_mm": 1520,
        "nodes": WEST_TRUNK + ["Mach", "Sibi", "Dera Murad Jamali", "Jacobabad", "Shikarpur", "Rohri",
                               "Nawabshah", "Hyderabad", "Kotri", "Karachi"],
        "description": "Kazakhstan-Turkmenistan-Afghanistan-Pakistan line (Kazakhstan offered ~$7 bn; Afghan segment ~687 km). "
                       "Herat-Kandahar 737.5 km design (Railway Gazette, Feb 2025); Kandahar-Spin Boldak 96 km; on to Karachi over ML-3/ML-1 (1,676 mm).",
    },
    {
        "title": "West: KTAP via Herat, Kandahar, Quetta to Gwadar",
        "stroke": "#ff7f0e", "status": "proposed", "gauge_mm": 1520,
        "nodes": WEST_TRUNK + ["Mastung", "Kalat", "Surab (near Besima junction)", "Panjgur", "Turbat", "Gwadar", "Gwadar Port"],
        "description": "Western trans-Afghan line continued over the planned Gwadar-Mastung link (961 km, CPEC long term; Gwadar has no rail link today).",
    },
    {
        "title": "East: UAP via Mazar-i-Sharif, Logar, Kharlachi to Peshawar",
        "stroke": "#1f77b4", "status": "proposed", "gauge_mm": 1520,
        "nodes": ["Termez", "Hairatan", "Naibabad (Mazar-i-Sharif rail terminal)", "Aybak", "Pul-e Khumri", "Doshi",
                  "Shibar Pass", "Jalrez (Unai pass road)", "Maidan Shahr", "Pul-e Alam (Logar)", "Chamkani (Paktia)",
                  "Kharlachi", "Parachinar", "Alizai", "Hangu", "Kohat", "Peshawar"],
        "description": "Uzbekistan-Afghanistan-Pakistan 'Kabul corridor' (647 km, $4.6 bn, TASS/Gazeta.uz Jul 2025); Naibabad-Maidan Shahr section not published (indicative via Shibar/Unai); Kohat-Kharlachi 192 km, $642 m (KP government).",
    },
    {
        "title": "Iran: North-South via Mashhad, Bafq to Bandar Abbas",
        "stroke": "#2ca02c", "status": "existing", "gauge_mm": 1435,
        "nodes": IRAN_TRUNK + ["Sirjan", "Bandar Abbas", "Bandar Abbas port (Shahid Rajaee)"],
        "description": "Benchmark: existing Iranian 1,435 mm lines from the Turkmen border at Sarakhs (break of gauge) to Bandar Abbas (Mashhad-Bafq ~800 km, Bafq-Bandar Abbas 626 km).",
    },
    {
        "title": "Iran: via Zahedan to Chabahar",
        "stroke": "#9467bd", "status": "under-construction", "gauge_mm": 1435,
        "nodes": IRAN_TRUNK + ["Zarand", "Kerman", "Bam", "Zahedan", "Khash (IR)", "Iranshahr", "Nikshahr", "Chabahar port (Shahid Beheshti)"],
        "description": "Benchmark: Chabahar-Zahedan 628 km, ~$1.5 bn, 84% complete Oct 2025, target Mar 2026 (Tehran Times, IRNA).",
    },
]


def main():
    src = json.load(open(SRC, encoding="utf-8"))
    points = {f["properties"]["name"]: f["geometry"]["coordinates"]
              for f in src["features"] if f["geometry"] and f["geometry"]["type"] == "Point"}
    features = []
    for i, alt in enumerate(ALTERNATIVES, start=1):
        missing = [n for n in alt["nodes"] if n not in points]
        if missing:
            sys.exit(f"{alt['title']}: nodes not in {SRC}: {missing}")
        coords = [[round(points[n][0], 4), round(points[n][1], 4)] for n in alt["nodes"]]
        features.append({
            "type": "Feature",
            "properties": {
                "title": alt["title"], "name": alt["title"], "description": alt["description"],
                "stroke": alt["stroke"], "stroke-width": 3, "stroke-opacity": 1.0,
                "corridor_atlas_id": i, "status": alt["status"], "gauge_mm": alt["gauge_mm"],
                "nodes": alt["nodes"],
            },
            "geometry": {"type": "LineString", "coordinates": coords},
        })
    doc = {
        "type": "FeatureCollection",
        "corridor_atlas": {"version": 1, "next_id": len(ALTERNATIVES) + 1},
        "features": features,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection",\n"corridor_atlas":' + json.dumps(doc["corridor_atlas"]) + ',\n"features":[\n')
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False) for ft in features))
        f.write("\n]}\n")
    print(f"wrote {OUT}: {len(features)} alternatives")


if __name__ == "__main__":
    main()
