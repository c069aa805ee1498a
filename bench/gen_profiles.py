#!/usr/bin/env python3
"""Writes N varied checker profiles (both pathways, several certificates, gaps, honours) as a JSON array."""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rng = random.Random(312)
occupations = ["焊工", "车工", "电工", "钳工", "化学检验员", "园艺工", "刺绣工", "灯光师"]
series = ["工程", "农业", "工艺美术", "艺术", "实验技术", "技工院校教师", "会计"]
honours = ["上海市技术能手", "上海市杰出技术能手", "全国技术能手", "中华技能大奖获得者"]
results = ["优秀", "良好", "合格", "基本合格"]


def date(y0, y1):
    return f"{rng.randint(y0, y1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


out = []
for i in range(n):
    occ = rng.choice(occupations)
    work = []
    start = rng.randint(2000, 2015)
    for _ in range(rng.randint(1, 4)):
        end = start + rng.randint(1, 5)
        work.append({"occupation": rng.choice([occ, occ, rng.choice(occupations)]),
                     "from": f"{start}-01-01", "to": None if end > 2025 else f"{end}-06-30"})
        start = end + 1
    p = {"pathway": "title" if i % 3 else "skill", "reference_date": "2026-07-01", "occupation": occ,
         "skill_certificates": [{"occupation": rng.choice([occ, rng.choice(occupations)]),
                                 "level": rng.choice(["高级工", "技师", "高级技师"]), "obtained_on": date(2005, 2026)}
                                for _ in range(rng.randint(0, 3))],
         "work": work,
         "annual_assessments": [{"year": y, "result": rng.choice(results)} for y in (2023, 2024, 2025)]}
    if p["pathway"] == "title":
        p.update(series=rng.choice(series), target_level=rng.choice(["初级", "中级", "副高级", "正高级"]),
                 honours=rng.sample(honours, rng.randint(0, 2)), frontline=rng.random() < 0.5,
                 exceptional=rng.random() < 0.1)
    else:
        p.update(target_level=rng.choice(["高级工", "技师", "高级技师"]), diploma_major_related=rng.random() < 0.5,
                 titles=[{"series": rng.choice(series), "level": rng.choice(["初级", "中级", "副高级"]),
                          "obtained_on": date(2010, 2025)} for _ in range(rng.randint(0, 2))])
    out.append(p)
json.dump(out, sys.stdout, ensure_ascii=False)
