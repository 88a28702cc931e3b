#!/usr/bin/env python3
"""Draw the chord legs of bundled rail lines by the app's least-cost search over terrain.

    cargo build -p corridor-domain --example terrain_leg
    python3 tools/geodata/densify_legs.py "LINE NAME" ...   # rewrites tools/geodata/rail_vias.json

For every leg of each named line that is still a chord (two consecutive vertices of its via table,
neither side a least-cost shape point already), runs `terrain_leg` (crates/corridor-domain/examples:
`corridor-atlas suggest --rank-by length` over ETOPO5 at the 2.5 % design grade, with the bundled
rail layer left out so the search cannot follow the line's own drawn chord) and keeps its path as
"least-cost shape point N (A - B)" only under the fixed rule of geodata/README.md: at most
LEAST_COST_MAX_RATIO x the chord and never farther off it than LEAST_COST_MAX_OFFSET of the chord
(build.py checks the same rule on every build). A rejected leg stays a chord. Then, worst first,
drops any shape point at or next to a turn sharper than LEAST_COST_MAX_TURN_DEG (the path doubling
back on the search's 3 km cells; build.py checks that too). Prints one line per
leg (kept or rejected, with its figures). The build itself never runs the search (deterministic).
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402  (the rule, the distances and the file paths live there)

ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "target", "debug", "examples", "terrain_leg")
SOURCE = ("least-cost over ETOPO5 at grade 2.5 % (the app's search without bundled track: "
          "crates/corridor-domain/examples/terrain_leg.rs, as corridor-atlas suggest, 3 km cells, ranked by length; "
          "leg {chord:.1f} km chord, {path:.1f} km path): this leg's alignment is not published or not geocoded")


def label(e):
    return e.get("node") or e["name"]


def position(e, pos):
    """Where a via-table entry is (a corridor node's position, or its own), rounded as build.py does."""
    return [build.r4(c) for c in (pos[e["node"]] if "node" in e else (e["lon"], e["lat"]))]


def leg_figures(leg):
    """(path km, chord km, largest distance off the chord km), measured as build.py checks them."""
    chord = build.sphere_km(leg[0], leg[-1])
    path = sum(build.sphere_km(p, q) for p, q in zip(leg, leg[1:]))
    k = build.math.cos(build.math.radians(sum(p[1] for p in leg) / len(leg)))
    flat = [(p[0] * k, p[1]) for p in leg]
    off = max(build.seg_dist(p, flat[0], flat[-1]) for p in flat) * 111.2
    return path, chord, off


def main(names):
    with open(build.RAIL_VIAS, encoding="utf-8") as f:
        vias = json.load(f)
    with open(os.path.join(HERE, "corridors.geojson"), encoding="utf-8") as f:
        corridor = json.load(f)["features"]
    pos = {c["properties"]["name"]: c["geometry"]["coordinates"][:2] for c in corridor if c["geometry"]["type"] == "Point"}
    lines = {c["properties"]["name"]: c["properties"] for c in corridor if c["geometry"]["type"] == "LineString"}
    for name in names:
        if name not in lines:
            sys.exit(f"no line {name!r} in corridors.geojson")
        entries = vias.get(name) or [{"node": n} for n in lines[name]["nodes"]]
        at = [position(e, pos) for e in entries]
        out = [entries[0]]
        for i in range(1, len(entries)):
            a, b = entries[i - 1], entries[i]
            lc = [build.LEAST_COST in e.get("name", "") for e in (a, b)]
            if any(lc):
                out.append(b)
                continue
            run = subprocess.run([EXAMPLE, f"{at[i - 1][0]},{at[i - 1][1]}", f"{at[i][0]},{at[i][1]}"],
                                 capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
            tag = f"{name[:40]} | {label(a)} - {label(b)}"
            if run.returncode != 0:
                print(f"{tag}: chord (search: {run.stderr.strip()})")
                out.append(b)
                continue
            inner = [[build.r4(c) for c in p] for p in json.loads(run.stdout)[1:-1]]
            inner = [p for j, p in enumerate(inner) if p != (inner[j - 1] if j else at[i - 1]) and p != at[i]]
            path, chord, off = leg_figures([at[i - 1], *inner, at[i]])
            ok = inner and path <= build.LEAST_COST_MAX_RATIO * chord and off <= build.LEAST_COST_MAX_OFFSET * chord
            verdict = "kept" if ok else ("the search draws the chord" if not inner else "rejected, stays a chord")
            print(f"{tag}: chord {chord:.1f} km, path {path:.1f} km ({path / chord:.2f} x), off {off:.1f} km: {verdict}")
            if ok:
                leg = f"{label(a)} - {label(b)}"
                for j, p in enumerate(inner, 1):
                    out.append({"name": f"{build.LEAST_COST} {j} ({leg})", "lon": p[0], "lat": p[1],
                                "approximate": True, "source": SOURCE.format(chord=chord, path=path)})
            out.append(b)
        # Drop shape points where the path turns back (build.LEAST_COST_MAX_TURN_DEG), worst first.
        while True:
            sharp = build.sharp_turn_at(out, [position(e, pos) for e in out])
            if not sharp:
                break
            print(f"{name[:40]} | dropped {out[sharp[0]]['name']} (a {sharp[1]:.0f} degree turn)")
            del out[sharp[0]]
        vias[name] = out
    with open(build.RAIL_VIAS, "w", encoding="utf-8") as f:
        f.write(json.dumps(vias, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
