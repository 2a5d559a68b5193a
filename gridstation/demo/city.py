"""The demo city: a realistic, deterministic data set for trying GridStation out (演示数据).

``build_demo(url)`` migrates a database and fills it with a slice of Zhengzhou (郑州市): three
real districts (中原区 west, 二七区 south, 金水区 north-east, with their GB/T 2260 codes), their
streets (街道) and communities (社区), about 1,600 seamless unit grids (单元网格) of about
100 m x 100 m, the district agencies and the street-level departments, a 3-level 部件/事件
catalogue with the time limits of real city standards, the center's staff, several thousand
components (部件) and six months of case history (by default 100,000 cases) that went around
the closed loop exactly as the workflow service would have written it: one ``case_event`` per
step, counters and stage clocks that agree with the events, and the cases of the last days
still open in every state.

The same seed and ``now`` give identical case and event rows (python ``random.Random`` only;
nothing depends on dict order of sets, the clock or the database). Only the password hashes
differ between builds: scrypt salts are random by design.

``extension_minutes`` and ``parked_minutes`` are parts of the running stage's clock
(``apply_clock`` writes them at every stage start), exactly as the live workflow keeps them:
while a case is handled or parked they hold its approved 延期 and its 挂账 time; later stages
and closed cases hold none (the totals live in the events and the counters).

Speed: everything per case is plain Python producing dicts, written with SQLAlchemy Core
``executemany`` in chunks; ids are assigned here so events reference cases without a round
trip. The default build takes well under a minute on SQLite.
"""

from __future__ import annotations

import math
import os
import random
import time as _time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from gridstation.geo import geometry as geo
from gridstation.analytics import rollup
from gridstation.store.db import alembic_config, is_postgres, make_engine, record_change, writer
from gridstation.schema import upgrade
from gridstation.importers.components import import_component_rows
from gridstation.importers.places import import_place_rows
from gridstation.store.model import (
    Case,
    CaseEvent,
    CaseRequest,
    CaseSource,
    CaseState,
    Category,
    CategoryKind,
    CommandLevel,
    Component,
    ComponentState,
    Counter,
    Department,
    Position,
    Region,
    RegionLevel,
    RequestKind,
    Setting,
    Stage,
    UnitGrid,
    User,
)
from gridstation.accounts.passwords import hash_password
from gridstation.worktime.center_calendar import load_calendar
from gridstation.store.settings import DEFAULT_WORK_HOURS, WORK_HOURS_KEY
from gridstation.geo.spatial import GridIndex
from gridstation.worktime.timelimits import apply_clock, start_clock
from gridstation.worktime.workcal import TimeUnit, WorkCalendar

__all__ = ["CITY_NAME", "DEMO_PASSWORD", "DemoSummary", "build_demo"]

CITY_NAME = "郑州市(演示)"
DEMO_PASSWORD = "demo"
CHUNK = 10_000  # rows per executemany

# progress(message): one line of text such as " 42% cases 42,000 / 100,000" (the percentage
# of the whole build first, so a caller may parse it for a progress bar).
Progress = Callable[[str], None]

# ============================================================================ the territory
# A 48 x 34 lattice of ~100 m cells over central Zhengzhou. The districts are rectangles of
# cells, cut (guillotine style) into streets and those into communities, so every grid lies in
# exactly one community and community/street/district boundaries follow grid edges.
COLS, ROWS = 48, 34
CELL_M = 100.0
WEST_LON, NORTH_LAT = 113.625, 34.782
JITTER = 0.12  # interior lattice vertices move up to 12 % of a cell (keeps every quad convex)

CITY = ("410100", "郑州市")

# Case addresses are "<district><street><road><n>号附近" with n in 1..HOUSE_NUMBERS; the
# gazetteer holds exactly those doorplates (on every road of every street), so they geocode.
HOUSE_NUMBERS = 299
PLACE_SOURCE = "demo"

# (admin code, name, cell rectangle (col0, row0, col1, row1) inclusive-exclusive, streets)
DISTRICTS: list[tuple[str, str, tuple[int, int, int, int], list[str]]] = [
    (
        "410102",
        "中原区",
        (0, 0, 16, 34),  # west
        ["林山寨街道", "建设路街道", "棉纺路街道", "秦岭路街道", "桐柏路街道", "三官庙街道", "汝河路街道"],
    ),
    (
        "410105",
        "金水区",
        (16, 0, 48, 20),  # north-east
        [
            "经八路街道", "花园路街道", "人民路街道", "杜岭街道",
            "大石桥街道", "南阳路街道", "文化路街道", "丰产路街道",
        ],
    ),
    (
        "410103",
        "二七区",
        (16, 20, 48, 34),  # south
        ["淮河路街道", "解放路街道", "铭功路街道", "一马路街道", "五里堡街道", "大学路街道"],
    ),
]

ROADS = {
    "410102": [
        "建设路", "中原路", "棉纺路", "桐柏路", "秦岭路", "伏牛路", "嵩山北路", "工人路", "协作路",
        "华山路", "淮河西路", "陇海西路", "互助路", "友爱路", "汝河路", "百花路", "航海西路", "颍河路",
        "锦艺路", "化工路", "三官庙街", "西站路",
    ],
    "410105": [
        "经八路", "花园路", "人民路", "农业路", "纬五路", "文化路", "丰产路", "东风路", "北林路",
        "未来路", "金水路", "黄河路", "纬二路", "经三路", "南阳路", "丰庆路", "国基路", "红专路",
        "政七街", "东明路", "优胜北路", "健康路", "索凌路", "杜岭街", "大石桥街",
    ],
    "410103": [
        "淮河路", "解放路", "铭功路", "一马路", "大学路", "京广路", "长江路", "嵩山路", "人和路",
        "福华街", "德化街", "建中街", "五里堡路", "蜜蜂张街", "大学南路", "航海中路", "政通路",
        "齐礼阎路", "兴华街", "陇海中路",
    ],
}

COMMUNITY_STEMS = [
    "百花", "锦绣", "和平里", "文化宫", "兴华", "幸福里", "工人新村", "碧沙岗", "五一", "红旗", "光明",
    "建新", "绿城", "阳光", "春晖", "长城", "电力新村", "纺织新村", "铁路新村", "医学院", "农科",
    "纬一", "纬三", "经五", "经七", "黄河", "顺河", "省府", "索凌", "龙湖", "国基", "三全", "关虎屯",
    "杓袁", "庙李", "柳林", "宏达", "兴达", "森林", "运河", "杨金", "博学", "如意", "凤凰台", "燕庄",
    "东方", "大学", "齐礼阎", "侯寨", "嵩山", "京广", "长江", "航海", "福华", "德化", "人和", "蜜蜂张",
    "建中", "陇海", "须水", "绿东村", "西站", "政通", "汇丰", "友谊", "团结", "前进", "育英", "东明",
    "健康", "红专", "南阳", "杜岭", "大石桥", "互助", "友爱", "协作", "颍河", "锦艺", "冉屯", "桐淮",
    "伏牛", "淮北", "航空港", "铭功", "一马", "兴隆", "振兴", "天荣", "华山", "汝南", "秦岭北", "五里堡",
    "碧云", "翠竹", "梧桐", "丹凤", "金桥", "银河", "紫荆", "芙蓉", "青年", "钢院", "水利", "邮电",
    "棉纺东", "棉纺西", "航海东", "桐柏南", "建设西", "中原新村", "化肥厂", "机械厂", "第二砂轮",
    "郑纺", "国棉三厂", "国棉四厂", "国棉五厂", "国棉六厂",
]

# ============================================================================ departments
# (key, code, name, contact, maintainer/owner wording)
DISTRICT_AGENCIES: list[tuple[str, str, str, str]] = [
    ("szgl", "101", "市政管理处", "0371-67181201"),
    ("hwzx", "102", "环卫中心", "0371-67181202"),
    ("yllh", "103", "园林绿化中心", "0371-67181203"),
    ("cgzf", "104", "城管执法局", "0371-67181204"),
    ("jtys", "105", "交通运输局", "0371-67181205"),
    ("zjj", "106", "住建局", "0371-67181206"),
    ("sthj", "107", "生态环境局", "0371-67181207"),
    ("scjg", "108", "市场监管局", "0371-67181208"),
    ("zls", "109", "自来水公司", "0371-96390"),
    ("gd", "110", "供电公司", "95598"),
    ("rq", "111", "燃气公司", "0371-96777"),
    ("tx", "112", "通信公司", "10000"),
    ("ldgl", "113", "路灯管理所", "0371-67181213"),
    ("jj", "114", "公安交警大队", "0371-67181214"),
    ("psgl", "115", "排水管理处", "0371-67181215"),
    ("rl", "116", "热力公司", "0371-96069"),
    ("yz", "117", "邮政分公司", "11185"),
    ("tyj", "118", "体育局", "0371-67181218"),
]
# Street-level departments in every street: (suffix, name, parent agency key)
STREET_DEPTS = [("01", "城管科", "cgzf"), ("02", "环卫所", "hwzx")]

# ============================================================================ catalogue
M, WH, WD, NH = TimeUnit.MINUTE.value, TimeUnit.WORK_HOUR.value, TimeUnit.WORK_DAY.value, TimeUnit.NATURAL_HOUR.value

# Problem wording per component family (descriptions, filing and closing conditions).
COMPONENT_FAMILIES = {
    "cover": (
        ["丢失", "破损", "移位", "松动有响声", "下沉与路面有高差"],
        "井盖丢失、破损、移位，或与路面高差超过2厘米",
        "井盖已补齐或更换，安装平稳，与路面平齐",
    ),
    "light": (
        ["灯不亮", "白天常亮", "灯杆倾斜", "灯罩破损", "检修门缺失"],
        "灯具不亮、灯杆倾斜或设施破损",
        "已修复，夜间正常亮灯，设施完好",
    ),
    "box": (
        ["箱门损坏无法关闭", "箱体破损", "箱体被乱张贴", "箱体倾斜"],
        "设施破损、箱门缺失或存在安全隐患",
        "设施已修复，箱门完好关闭，无安全隐患",
    ),
    "road": (
        ["破损", "倾倒", "缺失", "被车辆撞坏", "变形歪斜"],
        "设施破损、缺失、倾倒或影响通行安全",
        "设施已修复或更换，恢复完好",
    ),
    "sign": (
        ["被遮挡", "倾斜", "破损", "信息错误", "缺失"],
        "标志、信号设施破损、缺失、被遮挡或显示不正常",
        "已修复或更换，显示清晰正常",
    ),
    "sanitation": (
        ["破损", "满溢未清运", "周边脏乱", "异味严重", "缺失"],
        "设施破损、缺失、满溢或周边脏乱",
        "设施已修复或清理，周边整洁",
    ),
    "green": (
        ["被折断", "枯死", "倾斜有倒伏危险", "被圈占毁坏", "缺株"],
        "树木绿地被毁坏、枯死、缺株或存在倒伏隐患",
        "已补植、扶正或修复，绿化恢复",
    ),
    "facility": (
        ["破损", "缺失部件", "锈蚀严重", "存在安全隐患"],
        "设施破损、缺失或存在安全隐患",
        "设施已修复，恢复正常使用",
    ),
}

# Component leaves: (major code, major name, [(minor, name, agency key, command level,
#   handle amount, unit, urgent, case weight, components in the demo city, family)])
COMPONENT_CLASSES = [
    ("01", "公用设施", [
        ("01", "上水井盖", "zls", "district", 2, WH, True, 1.2, 520, "cover"),
        ("02", "污水井盖", "psgl", "district", 2, WH, True, 1.5, 560, "cover"),
        ("03", "雨水井盖", "psgl", "district", 2, WH, True, 1.2, 480, "cover"),
        ("04", "电力井盖", "gd", "district", 2, WH, True, 0.6, 300, "cover"),
        ("05", "燃气井盖", "rq", "district", 2, WH, True, 0.4, 200, "cover"),
        ("06", "通信井盖", "tx", "district", 2, WH, True, 0.8, 400, "cover"),
        ("07", "热力井盖", "rl", "district", 2, WH, True, 0.3, 150, "cover"),
        ("08", "雨水箅子", "psgl", "district", 1, WD, False, 0.8, 420, "cover"),
        ("09", "路灯", "ldgl", "district", 2, WD, False, 2.0, 820, "light"),
        ("10", "消防栓", "zls", "district", 1, WD, False, 0.3, 150, "facility"),
        ("11", "变压器箱", "gd", "district", 1, WD, False, 0.2, 110, "box"),
        ("12", "通信交接箱", "tx", "district", 2, WD, False, 0.4, 160, "box"),
        ("13", "报刊亭", "cgzf", "district", 3, WD, False, 0.2, 50, "facility"),
        ("14", "邮筒", "yz", "district", 3, WD, False, 0.1, 50, "facility"),
        ("15", "监控电子眼", "jj", "district", 2, WD, False, 0.1, 90, "box"),
    ]),
    ("02", "道路交通", [
        ("01", "交通标志牌", "jj", "district", 2, WD, False, 0.5, 240, "sign"),
        ("02", "交通信号灯", "jj", "district", 4, WH, False, 0.3, 110, "sign"),
        ("03", "护栏", "szgl", "district", 2, WD, False, 1.0, 300, "road"),
        ("04", "隔离墩", "szgl", "district", 2, WD, False, 0.4, 180, "road"),
        ("05", "公交站亭", "jtys", "district", 2, WD, False, 0.5, 140, "facility"),
        ("06", "过街天桥", "szgl", "district", 3, WD, False, 0.05, 10, "road"),
        ("07", "地下通道", "szgl", "district", 3, WD, False, 0.05, 8, "road"),
        ("08", "盲道", "szgl", "district", 3, WD, False, 0.6, 200, "road"),
        ("09", "路名牌", "szgl", "district", 3, WD, False, 0.2, 160, "sign"),
        ("10", "公共自行车停放点", "jtys", "district", 2, WD, False, 0.3, 80, "facility"),
    ]),
    ("03", "市容环境", [
        ("01", "公共厕所", "hwzx", "district", 1, WD, False, 0.3, 60, "sanitation"),
        ("02", "垃圾间", "hwzx", "district", 1, WD, False, 0.3, 100, "sanitation"),
        ("03", "果皮箱", "hwzx", "street", 1, WD, False, 1.5, 650, "sanitation"),
        ("04", "户外广告牌", "cgzf", "district", 5, WD, False, 0.3, 140, "facility"),
        ("05", "分类垃圾桶", "hwzx", "street", 1, WD, False, 0.6, 380, "sanitation"),
    ]),
    ("04", "园林绿化", [
        ("01", "古树名木", "yllh", "district", 1, WD, False, 0.05, 30, "green"),
        ("02", "行道树", "yllh", "district", 2, WD, False, 1.0, 880, "green"),
        ("03", "绿地", "yllh", "district", 3, WD, False, 0.8, 240, "green"),
        ("04", "花坛花箱", "yllh", "district", 2, WD, False, 0.4, 200, "green"),
        ("05", "雕塑", "yllh", "district", 5, WD, False, 0.05, 15, "facility"),
        ("06", "树池", "yllh", "district", 2, WD, False, 0.4, 300, "green"),
        ("07", "绿地护栏", "yllh", "district", 2, WD, False, 0.3, 150, "road"),
    ]),
    ("05", "其他设施", [
        ("01", "健身设施", "tyj", "district", 3, WD, False, 0.2, 80, "facility"),
        ("02", "景观灯", "ldgl", "district", 3, WD, False, 0.2, 150, "light"),
        ("03", "宣传栏", "cgzf", "district", 3, WD, False, 0.1, 60, "facility"),
        ("04", "充电桩", "gd", "district", 3, WD, False, 0.1, 60, "facility"),
        ("05", "公共座椅", "yllh", "district", 3, WD, False, 0.2, 120, "facility"),
    ]),
]

# Event leaves: (minor, name, agency key, command level, handle amount, unit, urgent,
#   case weight, citizen factor, camera factor, filing condition, closing condition, descriptions)
EVENT_CLASSES = [
    ("01", "市容环境", [
        ("01", "暴露垃圾", "hwzx", "street", 1, WD, False, 8.0, 1.0, 0.6,
         "道路、公共场所有暴露垃圾，面积0.5平方米以上或垃圾袋3个以上",
         "垃圾清运干净，地面无残留",
         ["路边有暴露垃圾堆放", "垃圾桶周边散落生活垃圾未清理", "绿化带内有暴露垃圾", "小区门口垃圾堆积"]),
        ("02", "道路不洁", "hwzx", "street", 5, WH, False, 6.0, 0.8, 0.3,
         "车行道、人行道有明显污渍、泥土、油渍或散落物",
         "路面清扫冲洗干净，无明显污渍",
         ["人行道有大片油污", "路面泥土污染严重", "路面散落杂物未清扫", "车行道有渣土污染"]),
        ("03", "积存垃圾渣土", "hwzx", "street", 1, WD, False, 2.0, 0.8, 0.2,
         "公共场所积存垃圾、渣土1立方米以上",
         "积存垃圾渣土全部清运，场地平整",
         ["空地上积存建筑垃圾", "墙角积存渣土多日未清", "拆迁空地积存垃圾"]),
        ("04", "违法建设", "cgzf", "district", 15, WD, False, 1.0, 2.0, 0.1,
         "未取得规划许可擅自搭建、扩建建筑物或构筑物",
         "违法建设已拆除或依法处理完毕",
         ["楼顶私搭彩钢房", "沿街违规搭建棚房", "小区内私搭乱建", "一楼住户私自扩建院墙"]),
        ("05", "乱堆物堆料", "cgzf", "street", 1, WD, False, 3.0, 1.0, 0.4,
         "占用道路、公共场所堆放物料，影响通行或市容",
         "堆放物料已清理，恢复原状",
         ["人行道上堆放建材", "楼道外堆放杂物", "路边堆放废旧家具"]),
        ("06", "焚烧垃圾树叶", "cgzf", "street", 4, WH, False, 0.4, 1.5, 0.5,
         "露天焚烧垃圾、树叶、杂物",
         "明火已扑灭，残留物清理干净",
         ["绿地内焚烧树叶", "空地有人焚烧垃圾", "路边焚烧杂物浓烟较大"]),
        ("07", "水域不洁", "hwzx", "district", 1, WD, False, 0.3, 1.0, 0.2,
         "河道、水面漂浮垃圾、油污或异味",
         "水面漂浮物打捞干净",
         ["河道水面漂浮垃圾", "河边有油污漂浮", "水体发黑有异味"]),
        ("08", "绿地脏乱", "yllh", "district", 1, WD, False, 0.8, 0.8, 0.2,
         "绿地内有垃圾、杂物或被踩踏裸露",
         "绿地内垃圾杂物清理干净",
         ["绿地内有大量白色垃圾", "绿化带内堆放杂物", "游园绿地脏乱"]),
        ("09", "餐饮油烟", "sthj", "district", 5, WD, False, 0.5, 3.0, 0.0,
         "餐饮单位油烟直排或净化设施未运行",
         "已安装或启用油烟净化设施，达标排放",
         ["餐馆油烟直排扰民", "饭店油烟管道对着居民楼排放", "烧烤店油烟污染严重"]),
    ]),
    ("02", "宣传广告", [
        ("01", "非法小广告", "cgzf", "street", 1, WD, False, 6.0, 0.6, 0.2,
         "建筑物、设施上乱张贴、喷涂小广告",
         "小广告清除干净，无明显痕迹",
         ["电线杆上张贴小广告", "单元门口喷涂办证小广告", "公交站亭贴满小广告", "墙面喷涂疏通下水道小广告"]),
        ("02", "违章张贴悬挂", "cgzf", "street", 1, WD, False, 1.5, 0.5, 0.3,
         "未经批准悬挂横幅、张贴宣传品",
         "横幅、宣传品已拆除",
         ["沿街悬挂商业横幅", "树木上悬挂宣传条幅", "护栏上悬挂广告布"]),
        ("03", "乱涂写乱刻画", "cgzf", "street", 1, WD, False, 1.5, 0.5, 0.2,
         "在建筑物、设施上涂写、刻画",
         "涂写刻画已清除或覆盖",
         ["墙面乱涂写", "桥墩上乱涂乱画", "配电箱上涂写电话号码"]),
        ("04", "非法户外广告", "cgzf", "district", 5, WD, False, 0.5, 0.8, 0.1,
         "未经审批设置户外广告设施",
         "违规户外广告已拆除",
         ["楼顶设置违规广告牌", "墙体设置大型违规广告", "未经审批设置LED广告屏"]),
        ("05", "占道广告牌", "cgzf", "street", 1, WD, False, 1.0, 0.6, 0.6,
         "店铺在人行道上摆放广告牌、灯箱",
         "占道广告牌已收回",
         ["门店在人行道摆放广告牌", "占道摆放落地灯箱", "人行道上立放易拉宝"]),
        ("06", "招牌破损", "cgzf", "district", 3, WD, False, 0.3, 0.8, 0.1,
         "门头招牌破损、字体缺失或存在坠落隐患",
         "招牌已修复或拆除，无安全隐患",
         ["门头招牌字体脱落", "招牌破损有坠落危险", "店招灯箱破损"]),
    ]),
    ("03", "施工管理", [
        ("01", "施工扰民", "zjj", "district", 1, WD, False, 1.0, 4.0, 0.0,
         "夜间或午休时间违规施工，噪声扰民",
         "违规施工已停止，施工时间符合规定",
         ["工地夜间施工噪音扰民", "装修午休时间施工扰民", "凌晨混凝土浇筑噪音大"]),
        ("02", "占道施工", "szgl", "district", 3, WD, False, 0.8, 1.0, 0.3,
         "未经批准或超范围占用道路施工",
         "占道施工已停止或已办理手续，道路恢复",
         ["施工围挡占用人行道", "未经批准开挖路面", "施工超出围挡范围占道"]),
        ("03", "扬尘", "zjj", "district", 1, WD, False, 1.2, 2.0, 0.3,
         "工地、裸土未覆盖或未洒水降尘，扬尘明显",
         "裸土已覆盖，降尘措施落实",
         ["工地裸土未覆盖扬尘严重", "拆迁现场未洒水降尘", "渣土堆放未苫盖"]),
        ("04", "施工废弃料", "zjj", "district", 2, WD, False, 0.6, 0.8, 0.1,
         "施工后废弃物料未清理",
         "施工废弃料已清运干净",
         ["施工结束后废料未清理", "路边遗留施工废弃料", "管线施工后渣土未清运"]),
        ("05", "道路遗撒", "cgzf", "district", 5, WH, False, 0.8, 0.8, 0.6,
         "运输车辆遗撒渣土、物料污染路面",
         "遗撒物清理干净，路面恢复整洁",
         ["渣土车遗撒污染路面", "路口有大量泥土遗撒", "运输车辆沿途遗撒"]),
        ("06", "无证掘路", "szgl", "district", 1, WD, False, 0.2, 0.8, 0.1,
         "未取得掘路许可开挖城市道路",
         "已停止开挖并恢复路面或补办手续",
         ["人行道被私自开挖", "无手续开挖道路埋管"]),
    ]),
    ("04", "街面秩序", [
        ("01", "无照经营游商", "cgzf", "street", 2, WH, False, 7.0, 0.8, 1.0,
         "流动摊贩在道路、公共场所无照经营",
         "游商已劝离，现场恢复秩序",
         ["路口有流动摊贩售卖水果", "学校门口游商聚集", "地铁口流动摊贩占道经营", "三轮车流动售卖"]),
        ("02", "店外经营", "cgzf", "street", 4, WH, False, 6.0, 0.8, 1.0,
         "临街店铺超出门窗在外摆卖、作业",
         "店外经营已清理，商品收回店内",
         ["商铺占道摆放货物", "饭店在门外摆放桌椅经营", "修车铺店外作业", "水果店门前摆摊"]),
        ("03", "占道经营", "cgzf", "street", 4, WH, False, 4.0, 0.8, 1.0,
         "占用道路、人行道摆摊设点经营",
         "摊点已清理，道路通行恢复",
         ["人行道上摆摊设点", "早市占道经营", "夜市摊点占用车行道"]),
        ("04", "露天烧烤", "cgzf", "street", 2, WH, False, 1.5, 1.5, 0.8,
         "在露天场所烧烤经营，油烟污染",
         "露天烧烤已取缔，设施清理",
         ["路边露天烧烤油烟大", "夜间露天烧烤占道", "小区门口露天烧烤"]),
        ("05", "机动车乱停放", "jj", "district", 4, WH, False, 3.0, 1.2, 1.0,
         "机动车在禁停区域、人行道、消防通道停放",
         "车辆已驶离或依法处理",
         ["机动车占用人行道停放", "车辆堵塞消防通道", "路口车辆违停影响通行"]),
        ("06", "非机动车乱停放", "cgzf", "street", 1, WD, False, 4.0, 0.8, 0.8,
         "非机动车、共享单车乱停乱放，影响通行",
         "车辆已整理归位，通行顺畅",
         ["共享单车堆放占用盲道", "地铁口非机动车乱停放", "电动车占用人行道停放"]),
        ("07", "占道废品收购", "cgzf", "street", 1, WD, False, 0.5, 0.8, 0.3,
         "占用道路收购、堆放废品",
         "废品收购点已清理",
         ["路边占道收购废品", "废品收购点占道堆放"]),
        ("08", "沿街晾挂", "cgzf", "street", 1, WD, False, 0.5, 0.5, 0.3,
         "在沿街护栏、树木上晾晒衣物",
         "晾挂物品已收回",
         ["护栏上晾晒衣物", "行道树之间拉绳晾晒被褥"]),
        ("09", "非法营运拉客", "jtys", "district", 1, WD, False, 0.3, 1.0, 0.8,
         "车辆在站点周边非法营运、拉客",
         "非法营运车辆已驶离或依法查处",
         ["火车站周边黑车拉客", "地铁口电动三轮非法载客"]),
    ]),
    ("05", "突发事件", [
        ("01", "积水", "psgl", "district", 4, NH, True, 0.6, 2.0, 0.5,
         "道路、下穿通道积水影响通行",
         "积水已排除，道路通行恢复",
         ["路口积水较深影响通行", "下穿通道积水", "小区门口道路积水"]),
        ("02", "道路塌陷", "szgl", "district", 4, NH, True, 0.2, 1.5, 0.2,
         "路面塌陷、空洞，危及通行安全",
         "塌陷处已回填修复或设置防护，通行安全",
         ["人行道出现塌陷坑", "车行道路面塌陷", "路面出现空洞"]),
        ("03", "管道破裂", "zls", "district", 4, NH, True, 0.4, 2.0, 0.2,
         "供水管道破裂漏水",
         "管道已抢修，漏水停止，路面恢复",
         ["供水管道破裂路面冒水", "地下水管爆裂大量漏水", "消防栓漏水不止"]),
        ("04", "燃气泄漏", "rq", "district", 1, NH, True, 0.05, 2.0, 0.0,
         "燃气管道、设施泄漏有异味",
         "泄漏点已封堵，检测正常",
         ["路边闻到明显燃气味", "燃气管道接口泄漏"]),
        ("05", "污水外溢", "psgl", "district", 1, WD, False, 0.8, 1.5, 0.2,
         "下水道堵塞、污水冒溢",
         "管道已疏通，污水清理干净",
         ["下水道堵塞污水外溢", "污水井冒水", "雨水口堵塞排水不畅"]),
        ("06", "树木倒伏", "yllh", "district", 4, NH, True, 0.2, 1.5, 0.3,
         "树木、树枝倒伏或折断，影响通行安全",
         "倒伏树木已清理或扶正，通行恢复",
         ["大风后行道树倒伏", "树枝折断挂在电线上", "树木倾倒压住车辆"]),
        ("07", "架空线缆坠落", "tx", "district", 4, NH, True, 0.2, 1.2, 0.2,
         "架空线缆脱落、下垂，影响通行安全",
         "线缆已整理固定，无安全隐患",
         ["通信线缆垂落到路面", "架空线缆脱落挂在树上"]),
        ("08", "路面结冰", "hwzx", "district", 4, NH, False, 0.1, 1.0, 0.2,
         "路面积雪结冰影响通行",
         "积雪冰面已清除，通行安全",
         ["人行道积雪结冰路滑", "坡道结冰车辆打滑"]),
    ]),
]

PHONE_PREFIXES = ("33", "35", "37", "38", "39", "52", "58", "59", "76", "86", "87", "89")

# ============================================================================ people
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍鹏辉建红娟玲飞鑫波宁浩凯亮宇晨欣佳琳雪梅"
    "海燕斌峰丹蕾璐婷俊帅博文志国庆春晓东阳光瑞祥振兴家豪子涵梓轩一诺思远雨萱若曦浩然嘉怡"
)

# ============================================================================ time rhythm
# Relative reports per hour of the day, by source (supervisors patrol by day; the hotline rings
# into the evening; cameras never sleep but see most in daylight).
HOURS_SUP = [0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.15, 0.6, 1.2, 1.5, 1.5, 1.2, 0.5, 0.6,
             1.2, 1.4, 1.4, 1.1, 0.5, 0.25, 0.12, 0.06, 0.04, 0.03]
HOURS_HOT = [0.08, 0.04, 0.03, 0.02, 0.02, 0.05, 0.2, 0.6, 1.2, 1.5, 1.5, 1.3, 1.0, 1.0,
             1.2, 1.3, 1.3, 1.2, 1.0, 1.0, 0.9, 0.7, 0.4, 0.2]
HOURS_CAM = [0.3, 0.2, 0.15, 0.15, 0.2, 0.3, 0.5, 0.9, 1.2, 1.3, 1.3, 1.2, 1.1, 1.1,
             1.2, 1.3, 1.3, 1.3, 1.2, 1.1, 1.0, 0.8, 0.6, 0.4]
SOURCES = [
    (CaseSource.SUPERVISOR.value, 0.70, HOURS_SUP, 0.45),  # (source, share, hours, weekend factor)
    (CaseSource.HOTLINE.value, 0.18, HOURS_HOT, 0.75),
    (CaseSource.PUBLIC.value, 0.08, HOURS_HOT, 0.85),
    (CaseSource.CAMERA.value, 0.04, HOURS_CAM, 0.9),
]

P_VOID = 0.05
P_RETURN = 0.02
P_REWORK = 0.03
P_EXTENSION = 0.02
P_PARK = 0.01
P_URGE = 0.025
P_HANDLE_ON_TIME = 0.90
P_STEP_ON_TIME = 0.97


# ============================================================================ summary


@dataclass
class DemoSummary:
    """What ``build_demo`` wrote."""

    regions: int = 0
    grids: int = 0
    departments: int = 0
    categories: int = 0
    category_leaves: int = 0
    users: int = 0
    components: int = 0
    places: int = 0
    cases: int = 0
    open_cases: int = 0
    events: int = 0
    requests: int = 0
    counters: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# ============================================================================ helpers


def _initials(name: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()[:64]


def _person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _bulk(session: Session, model, rows: list[dict]) -> None:
    """Core executemany on the model's Table (the ORM bulk path groups rows and is far slower)."""
    table = model.__table__
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[i : i + CHUNK])


def _split(rect: tuple[int, int, int, int], n: int, rng: random.Random) -> list[tuple[int, int, int, int]]:
    """Cut a cell rectangle into n rectangles of about equal area (guillotine cuts)."""
    if n <= 1:
        return [rect]
    c0, r0, c1, r1 = rect
    w, h = c1 - c0, r1 - r0
    n1 = n // 2
    frac = n1 / n + rng.uniform(-0.06, 0.06)
    if w >= h:
        cut = c0 + min(max(round(w * frac), 2), w - 2)
        a, b = (c0, r0, cut, r1), (cut, r0, c1, r1)
    else:
        cut = r0 + min(max(round(h * frac), 2), h - 2)
        a, b = (c0, r0, c1, cut), (c0, cut, c1, r1)
    return _split(a, n1, rng) + _split(b, n - n1, rng)


class _Cat:
    """What ``start_clock`` needs of a category (no ORM object per case)."""

    __slots__ = (
        "check_limit",
        "check_unit",
        "close_limit",
        "close_unit",
        "closing",
        "code",
        "command_level",
        "department_id",
        "dept_key",
        "descriptions",
        "dispatch_limit",
        "dispatch_unit",
        "file_limit",
        "file_unit",
        "handle_limit",
        "handle_unit",
        "id",
        "kind",
        "name",
        "problems",
        "urgent",
        "w_cam",
        "w_cit",
        "w_sup",
    )

    def limit(self, stage):
        s = Stage(stage).value
        return getattr(self, f"{s}_limit"), getattr(self, f"{s}_unit")


class _Row:
    """A case row being simulated; ``apply_clock`` writes onto it like onto an ORM object."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


# ============================================================================ entry point


def build_demo(
    url: str,
    *,
    seed: int = 1,
    cases: int = 100_000,
    months: int = 6,
    now: datetime | None = None,
    progress: Progress | None = None,
    replace: bool = False,
) -> DemoSummary:
    """Migrate the database at ``url`` and fill it with the demo city.

    ``progress(message)`` is called now and then with one line of text that starts with the
    percentage of the whole build done (" 42% cases 42,000 / 100,000").

    Refuses (``ValueError``) when the database holds regions already, unless ``replace=True``,
    which drops every table (Alembic downgrade to base) and migrates again first.
    """
    t_start = _time.perf_counter()
    summary = DemoSummary()

    def say(text: str, fraction: float) -> None:
        if progress is not None:
            progress(f"{round(fraction * 100):3d}% {text}")

    if now is None:
        now = datetime.now().replace(microsecond=0)
    if now.tzinfo is not None:
        raise ValueError("now must be a naive local datetime")
    if cases < 0 or months < 1:
        raise ValueError("cases must be >= 0 and months >= 1")

    say("migrating the database", 0.0)
    upgrade(url)
    engine = writer(make_engine(url))
    builder = None
    try:
        with Session(engine) as s:
            has_regions = s.scalar(select(func.count()).select_from(Region)) or 0
        if has_regions:
            if not replace:
                raise ValueError(
                    "the database already holds regions; build the demo into an empty database "
                    "or pass replace=True to wipe it first"
                )
            engine.dispose()
            from alembic import command

            # Simplest FK-safe wipe that also gets round the append-only triggers of
            # case_event: drop everything and migrate again.
            command.downgrade(alembic_config(url), "base")
            upgrade(url)
        summary.timings["migrate"] = _time.perf_counter() - t_start

        builder = _Builder(seed=seed, n_cases=cases, months=months, now=now, say=say)
        with Session(engine) as s, s.begin():
            builder.write_base(s, summary)
            calendar = load_calendar(s)
        summary.timings["base"] = _time.perf_counter() - t_start
        with Session(engine) as s, s.begin():
            builder.write_cases(s, calendar, summary)
            summary.timings["cases"] = _time.perf_counter() - t_start
            builder.write_password_hashes(s)
            summary.timings["password_hashes"] = _time.perf_counter() - t_start
            if is_postgres(s.get_bind()):
                _reset_sequences(s)
            record_change(s, "demo", None, "rebuilt", None, at=datetime.now())
        rollup.rebuild(engine)  # the drill-down and evaluation summaries, from the events just written
    finally:
        if builder is not None:
            builder.cancel_hashing()
        engine.dispose()
    summary.seconds = _time.perf_counter() - t_start
    say(f"done in {summary.seconds:.1f} s: {summary.cases:,} cases, {summary.events:,} events", 1.0)
    return summary


def _reset_sequences(session: Session) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the last id."""
    for table in ("region", "unit_grid", "department", "app_user", "category", "component",
                  "cases", "case_event", "case_request"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


# ============================================================================ the builder


PENDING_HASH = "pending"  # not a scrypt hash: verifies nothing until the real one is written


class _HashPool:
    """Salted scrypt hashes of one password, one per account, made in the background."""

    def __init__(self, password: str) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.password = password
        self.pool = ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1),
                                       thread_name_prefix="demo-hash")
        self.jobs: dict[int, object] = {}

    def submit(self, user_id: int) -> None:
        self.jobs[user_id] = self.pool.submit(hash_password, self.password)

    def write(self, s: Session) -> int:
        """Wait for every hash and store it (in the caller's transaction)."""
        rows = [{"uid": uid, "h": job.result()} for uid, job in self.jobs.items()]
        self.pool.shutdown()
        if rows:
            s.execute(text("UPDATE app_user SET password_hash = :h WHERE id = :uid"), rows)
        return len(rows)

    def cancel(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class _Builder:
    def __init__(self, *, seed: int, n_cases: int, months: int, now: datetime,
                 say: Callable[[str, float], None]):
        self.seed = seed
        self.n_cases = n_cases
        self.months = months
        self.now = now
        self.say = say
        self.start = (now - timedelta(days=round(months * 30.44))).replace(minute=0, second=0)
        self.valid_from = date(self.start.year, self.start.month, 1) - timedelta(days=31)
        # Independent streams, so changing the case count leaves the territory alone.
        self.rng_map = random.Random(f"gridstation-demo-map:{seed}")
        self.rng_org = random.Random(f"gridstation-demo-org:{seed}")
        self.rng = random.Random(f"gridstation-demo-cases:{seed}")

    def write_password_hashes(self, s: Session) -> None:
        hashes = getattr(self, "_hashes", None)
        if hashes is not None:
            hashes.write(s)

    def cancel_hashing(self) -> None:
        hashes = getattr(self, "_hashes", None)
        if hashes is not None:
            hashes.cancel()

    # ------------------------------------------------------------------ base data

    def write_base(self, s: Session, summary: DemoSummary) -> None:
        self.say("regions", 0.02)
        self._regions(s)
        self.say(f"unit grids ({COLS * ROWS:,})", 0.04)
        self._grids(s)
        self.say("departments and the category catalogue", 0.06)
        self._departments(s)
        self._categories(s)
        self.say("staff accounts", 0.07)
        self._users(s)
        self.say("components", 0.08)
        self._components(s)
        self.say("gazetteer (地名地址)", 0.09)
        self._places(s)
        self._settings(s)
        summary.regions = len(self.regions)
        summary.grids = len(self.grids)
        summary.departments = len(self.depts)
        summary.categories = self.n_categories
        summary.category_leaves = len(self.leaves)
        summary.users = self.n_users
        summary.components = len(self.components)
        summary.places = self.n_places

    def _regions(self, s: Session) -> None:
        rng = self.rng_map
        s.execute(
            insert(RegionLevel),
            [
                {"depth": 1, "key": "city", "name": "市", "name_en": "City"},
                {"depth": 2, "key": "district", "name": "区", "name_en": "District"},
                {"depth": 3, "key": "street", "name": "街道", "name_en": "Street"},
                {"depth": 4, "key": "community", "name": "社区", "name_en": "Community"},
            ],
        )
        regions: list[dict] = []
        next_id = 1

        def add(code, name, depth, parent):
            nonlocal next_id
            rid = next_id
            next_id += 1
            path = (parent["path"] if parent else "/") + f"{rid}/"
            r = {"id": rid, "code": code, "name": name, "depth": depth,
                 "parent_id": parent["id"] if parent else None, "path": path, "active": True}
            regions.append(r)
            return r

        city = add(CITY[0], CITY[1], 1, None)
        self.districts: list[dict] = []
        self.streets: list[dict] = []
        self.communities: list[dict] = []
        self.cell_community: dict[tuple[int, int], dict] = {}
        used_names: set[str] = set()
        stems = list(COMMUNITY_STEMS)
        rng.shuffle(stems)
        for dcode, dname, rect, street_names in DISTRICTS:
            d = add(dcode, dname, 2, city)
            d["rect"] = rect
            self.districts.append(d)
            pool = list(ROADS[dcode])
            street_rects = _split(rect, len(street_names), rng)
            # Streets numbered west→east, north→south like everything else.
            street_rects.sort(key=lambda r: (r[1], r[0]))
            for si, (sname, srect) in enumerate(zip(street_names, street_rects), start=1):
                st = add(f"{dcode}{si:03d}", sname, 3, d)
                st["district"] = d
                st["rect"] = srect
                own = sname[:-2] if sname[:-2] in pool else None
                others = [r for r in pool if r != own]
                roads = ([own] if own else []) + rng.sample(others, 3 if own else 4)
                st["roads"] = roads
                self.streets.append(st)
                cells = (srect[2] - srect[0]) * (srect[3] - srect[1])
                n_comm = min(7, max(4, round(cells / 14.5)))
                comm_rects = sorted(_split(srect, n_comm, rng), key=lambda r: (r[1], r[0]))
                for ci, crect in enumerate(comm_rects, start=1):
                    name = None
                    while name is None or name in used_names:
                        if stems and rng.random() < 0.55:
                            name = stems.pop() + "社区"
                        else:
                            name = rng.choice(roads) + rng.choice(["", "东", "西", "南", "北", "中"]) + "社区"
                    used_names.add(name)
                    cm = add(f"{st['code']}{ci:03d}", name, 4, st)
                    cm["street"] = st
                    cm["rect"] = crect
                    self.communities.append(cm)
                    for c in range(crect[0], crect[2]):
                        for r in range(crect[1], crect[3]):
                            self.cell_community[(c, r)] = cm
        assert len(self.cell_community) == COLS * ROWS
        self.city = city
        self.regions = regions
        cols = ("id", "code", "name", "depth", "parent_id", "path", "active")
        _bulk(s, Region, [{k: r[k] for k in cols} for r in regions])

    def _grids(self, s: Session) -> None:
        rng = self.rng_map
        lon_m, lat_m = geo.metres_per_degree(WEST_LON + COLS * 0.0005, NORTH_LAT - ROWS * 0.00045)
        dlon, dlat = CELL_M / lon_m, CELL_M / lat_m
        self.dlon, self.dlat = dlon, dlat
        # Lattice vertices; interior ones jittered (shared by all four cells around them, so
        # neighbouring grids have identical edges and the layer stays seamless).
        vx: dict[tuple[int, int], tuple[float, float]] = {}
        for i in range(COLS + 1):
            for j in range(ROWS + 1):
                x = WEST_LON + i * dlon
                y = NORTH_LAT - j * dlat
                if 0 < i < COLS and 0 < j < ROWS:
                    x += rng.uniform(-JITTER, JITTER) * dlon
                    y += rng.uniform(-JITTER, JITTER) * dlat
                vx[(i, j)] = (round(x, 7), round(y, 7))
        self.vertices = vx
        grids: list[dict] = []
        self.grid_corners: list[tuple] = []  # index = grid id - 1: (nw, ne, se, sw)
        self.grid_street: list[dict] = []
        self.grid_community: list[dict] = []
        self.cell_grid: dict[tuple[int, int], int] = {}
        gid = 0
        for cm in self.communities:
            c0, r0, c1, r1 = cm["rect"]
            seq = 0
            for r in range(r0, r1):  # north→south
                for c in range(c0, c1):  # west→east
                    seq += 1
                    gid += 1
                    corners = (vx[(c, r)], vx[(c + 1, r)], vx[(c + 1, r + 1)], vx[(c, r + 1)])
                    g = geo.polygon(corners)
                    min_lon, min_lat, max_lon, max_lat = geo.bbox(g)
                    cx, cy = geo.centroid(g)
                    grids.append({
                        "id": gid,
                        "code": f"{cm['code']}{seq:03d}",
                        "name": f"{cm['name']}{seq}号网格",
                        "region_id": cm["id"],
                        "geometry": g,
                        "area_m2": round(geo.area_m2(g), 2),
                        "center_lon": round(cx, 7),
                        "center_lat": round(cy, 7),
                        "min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat,
                        "valid_from": self.valid_from,
                        "valid_to": None,
                    })
                    self.grid_corners.append(corners)
                    self.grid_street.append(cm["street"])
                    self.grid_community.append(cm)
                    self.cell_grid[(c, r)] = gid
        self.grids = grids
        # How busy each grid is: markets, schools and metro exits draw far more cases.
        self.grid_weight = [math.exp(rng.gauss(0.0, 0.75)) for _ in grids]
        _bulk(s, UnitGrid, grids)

    def _departments(self, s: Session) -> None:
        rng = self.rng_org
        depts: list[dict] = []
        self.agency: dict[str, dict] = {}
        for i, (key, code, name, contact) in enumerate(DISTRICT_AGENCIES, start=1):
            d = {"id": i, "code": code, "name": name, "level": CommandLevel.DISTRICT.value,
                 "parent_id": None, "region_id": None, "contact": contact, "active": True}
            depts.append(d)
            self.agency[key] = d
        next_id = len(depts) + 1
        self.street_dept: dict[tuple[int, str], dict] = {}  # (street id, agency key) -> dept
        self.street_depts_of: dict[int, list[dict]] = {}
        for st in self.streets:
            short = st["name"][:-2]
            for suffix, name, parent_key in STREET_DEPTS:
                d = {"id": next_id, "code": f"{st['code']}{suffix}", "name": f"{short}街道{name}",
                     "level": CommandLevel.STREET.value, "parent_id": self.agency[parent_key]["id"],
                     "region_id": st["id"], "contact": f"0371-6{rng.randrange(1000000, 9999999)}",
                     "active": True}
                next_id += 1
                depts.append(d)
                self.street_dept[(st["id"], parent_key)] = d
                self.street_depts_of.setdefault(st["id"], []).append(d)
        self.depts = depts
        self.dept_by_id = {d["id"]: d for d in depts}
        _bulk(s, Department, depts)

    def _categories(self, s: Session) -> None:
        rows: list[dict] = []
        self.leaves: list[_Cat] = []
        next_id = 1

        def add(code, name, kind, parent, is_leaf, **extra):
            nonlocal next_id
            cid = next_id
            next_id += 1
            path = (parent["path"] if parent else "/") + f"{cid}/"
            row = {
                "id": cid, "code": code, "name": name, "kind": kind,
                "parent_id": parent["id"] if parent else None,
                "depth": 0 if parent is None else parent["depth"] + 1,
                "path": path, "is_leaf": is_leaf, "pinyin": _initials(name),
                "department_id": None, "command_level": CommandLevel.DISTRICT.value,
                "file_limit": None, "file_unit": None, "dispatch_limit": None, "dispatch_unit": None,
                "handle_limit": None, "handle_unit": None, "check_limit": None, "check_unit": None,
                "close_limit": None, "close_unit": None, "filing_condition": "",
                "closing_condition": "", "urgent": False, "retired": False,
            }
            row.update(extra)
            rows.append(row)
            return row

        def leaf(code, name, kind, parent, agency_key, level, amount, unit, urgent, filing, closing):
            fd = 10 if urgent else 30
            row = add(
                code, name, kind, parent, True,
                department_id=self.agency[agency_key]["id"], command_level=level,
                file_limit=fd, file_unit=M, dispatch_limit=fd, dispatch_unit=M,
                handle_limit=amount, handle_unit=unit, check_limit=60, check_unit=M,
                close_limit=30, close_unit=M, filing_condition=filing, closing_condition=closing,
                urgent=urgent,
            )
            c = _Cat()
            for k in ("id", "code", "name", "kind", "department_id", "command_level", "urgent",
                      "file_limit", "file_unit", "dispatch_limit", "dispatch_unit", "handle_limit",
                      "handle_unit", "check_limit", "check_unit", "close_limit", "close_unit"):
                setattr(c, k, row[k])
            c.dept_key = agency_key
            c.closing = closing
            self.leaves.append(c)
            return c

        # 部件: codes are the digits a component id carries (major 2 + minor 2).
        root = add("C", "部件", CategoryKind.COMPONENT.value, None, False)
        self.component_leaves: list[tuple[_Cat, int]] = []
        for major, mname, items in COMPONENT_CLASSES:
            mj = add(major, mname, CategoryKind.COMPONENT.value, root, False)
            for minor, name, key, level, amount, unit, urgent, w, n_comp, family in items:
                problems, filing, closing = COMPONENT_FAMILIES[family]
                c = leaf(major + minor, name, CategoryKind.COMPONENT.value, mj, key, level,
                         amount, unit, urgent, f"{name}{filing}" if family != "cover" else filing,
                         closing)
                c.problems = problems
                c.descriptions = None
                c.w_sup, c.w_cit, c.w_cam = w, w * 0.35, w * 0.1
                self.component_leaves.append((c, n_comp))
        # 事件: the same digits would clash with 部件, so event codes carry the prefix "E".
        root = add("E", "事件", CategoryKind.EVENT.value, None, False)
        for major, mname, items in EVENT_CLASSES:
            mj = add("E" + major, mname, CategoryKind.EVENT.value, root, False)
            for (minor, name, key, level, amount, unit, urgent, w, cit, cam,
                 filing, closing, descriptions) in items:
                c = leaf("E" + major + minor, name, CategoryKind.EVENT.value, mj, key, level,
                         amount, unit, urgent, filing, closing)
                c.problems = None
                c.descriptions = descriptions
                c.w_sup, c.w_cit, c.w_cam = w, w * cit, w * cam
        self.n_categories = len(rows)
        _bulk(s, Category, rows)

    def _users(self, s: Session) -> None:
        rng = self.rng_org
        # Every account gets its own salted hash, with the same scrypt cost as a real account
        # (~50 ms each). The hashes are made on a thread pool (scrypt runs outside the GIL)
        # while the cases are generated, and written in the cases' transaction
        # (``write_password_hashes``); until then the rows hold a hash that matches nothing.
        self._hashes = _HashPool(DEMO_PASSWORD)
        pw = PENDING_HASH
        users: list[dict] = []
        names_used: set[str] = set()

        def person():
            while True:
                n = _person(rng)
                if n not in names_used:
                    names_used.add(n)
                    return n

        def add(login, position, region_id=None, department_id=None, name=None):
            u = {"id": len(users) + 1, "login": login, "name": name or person(),
                 "position": position.value, "password_hash": pw, "region_id": region_id,
                 "department_id": department_id, "active": True,
                 "phone": f"1{rng.choice(['37', '38', '39', '58', '59', '86'])}{rng.randrange(10**8):08d}"}
            users.append(u)
            self._hashes.submit(u["id"])
            return u

        self.admin = add("admin", Position.ADMIN)
        self.leader = add("leader", Position.LEADER)
        self.shift_leaders = [add(f"shift{i}", Position.SHIFT_LEADER) for i in (1, 2)]
        self.intake = [add(f"intake{i}", Position.INTAKE_OPERATOR) for i in (1, 2, 3, 4)]
        self.district_dispatcher = {}
        for i, d in enumerate(self.districts, start=1):
            self.district_dispatcher[d["id"]] = add(f"dispatch{i}", Position.DISPATCHER, region_id=d["id"])
        self.street_dispatcher = {}
        for st in self.streets:
            self.street_dispatcher[st["id"]] = add(f"st{st['code']}", Position.STREET_DISPATCHER,
                                                   region_id=st["id"])
        # Supervisors: about one per 15 grids, each patrolling consecutive grids of one street.
        self.grid_supervisor: list[dict] = [None] * len(self.grids)  # type: ignore[list-item]
        self.street_supervisors: dict[int, list[dict]] = {}
        n = 0
        for st in self.streets:
            gids = [g["id"] for g in self.grids if self.grid_street[g["id"] - 1] is st]
            k = max(1, round(len(gids) / 15))
            per = math.ceil(len(gids) / k)
            for j in range(k):
                n += 1
                sup = add(f"sup{n:03d}", Position.SUPERVISOR, region_id=st["id"])
                self.street_supervisors.setdefault(st["id"], []).append(sup)
                for gid in gids[j * per : (j + 1) * per]:
                    self.grid_supervisor[gid - 1] = sup
        self.handler: dict[int, dict] = {}
        for d in self.depts:
            self.handler[d["id"]] = add(f"h{d['code']}", Position.DEPT_HANDLER,
                                        region_id=d["region_id"], department_id=d["id"])
        # the command hall's wall display: a read-only account (named, so the rng is not drawn)
        self.wall = add("wall", Position.WALL, name="指挥大厅大屏")
        self.users = users
        self.n_users = len(users)
        _bulk(s, User, users)

    def _components(self, s: Session) -> None:
        rng = self.rng_map
        comps: list[dict] = []
        self.components = comps
        self.comp_by_cat: dict[int, list[dict]] = {}
        self.comp_road: dict[int, str] = {}
        seq: dict[tuple[str, str], int] = {}
        n_grids = len(self.grids)
        owners = {
            "zls": "郑州自来水投资控股有限公司", "psgl": "郑州市排水管理处", "gd": "国网郑州供电公司",
            "rq": "郑州华润燃气股份有限公司", "tx": "中国电信郑州分公司", "rl": "郑州热力集团有限公司",
            "ldgl": "郑州市路灯管理所", "jj": "郑州市公安局交通警察支队", "szgl": "郑州市市政工程管理处",
            "jtys": "郑州市公共交通集团", "hwzx": "郑州市环境卫生管理中心", "yllh": "郑州市园林绿化中心",
            "cgzf": "郑州市城市管理局", "yz": "中国邮政郑州市分公司", "tyj": "郑州市体育局",
        }
        maintainers = ["郑州市政养护工程有限公司", "河南中原绿化工程有限公司", "郑州城发环卫服务有限公司",
                       "河南宏达设施维护有限公司", "郑州安通交通设施有限公司"]
        for cat, n_comp in self.component_leaves:
            lst = self.comp_by_cat.setdefault(cat.id, [])
            gids = rng.choices(range(n_grids), weights=self.grid_weight, k=n_comp)
            gids.sort()
            for gi in gids:
                grid = self.grids[gi]
                st = self.grid_street[gi]
                dcode = st["district"]["code"]
                key = (dcode, cat.code)
                seq[key] = seq.get(key, 0) + 1
                u, v = rng.uniform(0.06, 0.94), rng.uniform(0.06, 0.94)
                lon, lat = geo.quad_point(self.grid_corners[gi], u, v)
                r = rng.random()
                if r < 0.92:
                    state = ComponentState.INTACT.value
                elif r < 0.97:
                    state = ComponentState.DAMAGED.value
                elif r < 0.985:
                    state = ComponentState.LOST.value if "井盖" in cat.name else ComponentState.DAMAGED.value
                elif r < 0.995:
                    state = ComponentState.ABANDONED.value
                else:
                    state = ComponentState.REMOVED.value
                if cat.command_level == CommandLevel.STREET.value:
                    dept = self.street_dept.get((st["id"], cat.dept_key)) or self.agency[cat.dept_key]
                else:
                    dept = self.agency[cat.dept_key]
                road = rng.choice(st["roads"])
                c = {
                    "code": f"{dcode}{cat.code}{seq[key]:06d}",
                    "name": f"{road}{cat.name}",
                    "department": dept["code"],
                    "owner": owners.get(cat.dept_key, "郑州市城市管理局"),
                    "maintainer": owners.get(cat.dept_key) if cat.dept_key in ("zls", "gd", "rq", "tx", "rl", "yz")
                    else rng.choice(maintainers),
                    "state": state,
                    "lon": round(lon, 7),
                    "lat": round(lat, 7),
                    "_road": road,
                    "_grid": grid["id"],
                }
                comps.append(c)
                lst.append(c)
        # Written through the component importer, which checks the codes against the districts
        # and the catalogue, the departments, and places each point in its grid (the grid it
        # was drawn in: every point is strictly inside).
        index = GridIndex.from_entries((g["id"], g["code"], g["geometry"]) for g in self.grids)
        report = import_component_rows(s, comps, file_name="demo components", user_id=self.admin["id"],
                                       grid_index=index)
        if report.imported != len(comps):  # cannot happen: the importer raises on any problem
            raise RuntimeError(f"demo components: {report.imported} of {len(comps)} imported")
        written = {r.code: r for r in s.execute(select(Component.code, Component.id, Component.grid_id))}
        for c in comps:
            w = written[c["code"]]
            if w.grid_id != c["_grid"]:  # cannot happen either (see above)
                raise RuntimeError(f"demo component {c['code']} landed in grid {w.grid_id}, not {c['_grid']}")
            c["id"], c["grid_id"] = w.id, c.pop("_grid")
            self.comp_road[c["id"]] = c.pop("_road")

    def _places(self, s: Session) -> None:
        """The gazetteer, written through the gazetteer importer (``import_place_rows``).

        Every road of every street gets a 街巷 place and doorplates 1..HOUSE_NUMBERS along a
        line of that street's cells (roads alternate east-west along a row and north-south
        along a column; odd numbers on one side, even on the other), every point strictly
        inside a grid of the street; every community a 兴趣点 "<community>居委会" at the centre
        of its middle cell. No randomness: the layout follows from the territory.
        """
        rows: list[dict] = []

        def at(c: int, r: int, u: float, v: float) -> tuple[float, float]:
            lon, lat = geo.quad_point(self.grid_corners[self.cell_grid[(c, r)] - 1],
                                      min(max(u, 0.04), 0.96), min(max(v, 0.04), 0.96))
            return round(lon, 7), round(lat, 7)

        def along(line: list[tuple[int, int]], horizontal: bool, t: float, side: float) -> tuple[float, float]:
            """Point at fraction t (0..1) of the line of cells, at ``side`` across it (0..1)."""
            x = min(t * len(line), len(line) - 1e-9)
            k = int(x)
            c, r = line[k]
            return at(c, r, x - k, side) if horizontal else at(c, r, side, x - k)

        for st in self.streets:
            c0, r0, c1, r1 = st["rect"]
            w, h = c1 - c0, r1 - r0
            prefix = f"{st['district']['name']}{st['name']}"
            roads = st["roads"]
            n_h = (len(roads) + 1) // 2  # roads 0, 2, 4 ... run east-west
            n_v = len(roads) // 2  # roads 1, 3 ... north-south
            for k, road in enumerate(roads):
                horizontal = k % 2 == 0
                if horizontal:
                    row = r0 + min(h - 1, (k // 2 + 1) * h // (n_h + 1))
                    line = [(c, row) for c in range(c0, c1)]
                else:
                    col = c0 + min(w - 1, (k // 2 + 1) * w // (n_v + 1))
                    line = [(col, r) for r in range(r0, r1)]
                lon, lat = along(line, horizontal, 0.5, 0.5)
                rows.append({"name": road, "kind": "street", "street": road, "number": "",
                             "address": f"{prefix}{road}", "lon": lon, "lat": lat})
                for n in range(1, HOUSE_NUMBERS + 1):
                    lon, lat = along(line, horizontal, (n - 0.5) / HOUSE_NUMBERS, 0.3 if n % 2 else 0.7)
                    rows.append({"name": f"{road}{n}号", "kind": "doorplate", "street": road,
                                 "number": str(n), "address": f"{prefix}{road}{n}号", "lon": lon, "lat": lat})
        for cm in self.communities:
            c0, r0, c1, r1 = cm["rect"]
            st = cm["street"]
            lon, lat = at((c0 + c1 - 1) // 2, (r0 + r1 - 1) // 2, 0.5, 0.5)
            rows.append({"name": f"{cm['name']}居委会", "kind": "poi", "street": "", "number": "",
                         "address": f"{st['district']['name']}{st['name']}{cm['name']}", "lon": lon, "lat": lat})
        index = GridIndex.from_entries((g["id"], g["code"], g["geometry"]) for g in self.grids)
        report = import_place_rows(s, rows, default_source=PLACE_SOURCE, file_name="demo gazetteer",
                                   user_id=self.admin["id"], grid_index=index)
        if report.warnings:  # cannot happen: every point is strictly inside a grid of its street
            raise RuntimeError(f"demo gazetteer: {report.warnings[0]}")
        self.n_places = report.imported

    def _settings(self, s: Session) -> None:
        lon = (WEST_LON + WEST_LON + COLS * self.dlon) / 2
        lat = (NORTH_LAT + NORTH_LAT - ROWS * self.dlat) / 2
        s.execute(insert(Setting), [
            {"key": WORK_HOURS_KEY, "value": [list(x) for x in DEFAULT_WORK_HOURS]},
            {"key": "map_view", "value": {"center": [round(lat, 6), round(lon, 6)], "zoom": 14}},
            {"key": "city_name", "value": CITY_NAME},
        ])

    # ------------------------------------------------------------------ case history

    def _report_times(self, cal: WorkCalendar) -> list[tuple[datetime, str]]:
        """When each case was reported, and by which source, in chronological order."""
        rng = self.rng
        start, now = self.start, self.now
        slots: list[datetime] = []
        lengths: list[int] = []
        t = start
        while t < now:
            slots.append(t)
            lengths.append(min(3600, int((now - t).total_seconds())))
            t += timedelta(hours=1)
        total_days = max(1.0, (now - start).total_seconds() / 86400)
        out: list[tuple[datetime, str]] = []
        shares = [x[1] for x in SOURCES]
        picks = rng.choices(range(len(SOURCES)), weights=shares, k=self.n_cases)
        counts = [0] * len(SOURCES)
        for p in picks:
            counts[p] += 1
        workday_cache: dict[date, bool] = {}
        for si, (src, _share, hours, weekend) in enumerate(SOURCES):
            if not counts[si]:
                continue
            weights = []
            for t, ln in zip(slots, lengths):
                d = t.date()
                wd = workday_cache.get(d)
                if wd is None:
                    wd = workday_cache[d] = cal.is_workday(d)
                # A gentle upward trend: the platform is catching more problems each month.
                trend = 0.85 + 0.3 * ((t - start).total_seconds() / 86400) / total_days
                weights.append(hours[t.hour] * (1.0 if wd else weekend) * trend * ln / 3600)
            cum = list(accumulate(weights))
            chosen = rng.choices(range(len(slots)), cum_weights=cum, k=counts[si])
            for k in chosen:
                out.append((slots[k] + timedelta(seconds=rng.randrange(max(1, lengths[k]))), src))
        out.sort()
        return out

    def write_cases(self, s: Session, cal: WorkCalendar, summary: DemoSummary) -> None:
        self.say(f"cases 0 / {self.n_cases:,}", 0.10)
        tenths = 1
        rng = self.rng
        self.cal = cal
        reports = self._report_times(cal)
        n = len(reports)
        # Category mixes by source: supervisors find components and street disorder, citizens
        # complain about noise, fumes and floods, cameras watch the street.
        leaves = self.leaves
        cum_sup = list(accumulate(c.w_sup for c in leaves))
        cum_cit = list(accumulate(c.w_cit for c in leaves))
        cum_cam = list(accumulate(c.w_cam for c in leaves))
        cum_grid = list(accumulate(self.grid_weight))
        n_grids = len(self.grids)

        self.events: list[dict] = []
        self.requests: list[dict] = []
        case_rows: list[dict] = []
        self.next_event_id = 1
        self.next_request_id = 1
        day_seq: dict[str, int] = {}
        n_open = 0
        n_events = 0
        n_requests = 0
        chunk_cases = 5000
        for i, (reported_at, source) in enumerate(reports):
            case_id = i + 1
            if source == CaseSource.SUPERVISOR.value:
                cum = cum_sup
            elif source == CaseSource.CAMERA.value:
                cum = cum_cam
            else:
                cum = cum_cit
            cat = leaves[bisect_right(cum, rng.random() * cum[-1])]
            comp = None
            comps = self.comp_by_cat.get(cat.id)
            if comps and rng.random() < 0.85:
                comp = comps[rng.randrange(len(comps))]
                gi = comp["grid_id"] - 1
            else:
                gi = bisect_right(cum_grid, rng.random() * cum_grid[-1])
                gi = min(gi, n_grids - 1)
            day = reported_at.strftime("%Y%m%d")
            seq = day_seq.get(day, 0) + 1
            day_seq[day] = seq
            row = self._simulate(case_id, f"{day}{seq:05d}", reported_at, source, cat, comp, gi)
            case_rows.append(row)
            if row["state"] not in (CaseState.CLOSED.value, CaseState.VOIDED.value):
                n_open += 1
            if len(case_rows) >= chunk_cases or i == n - 1:
                _bulk(s, Case, case_rows)
                _bulk(s, CaseEvent, self.events)
                if self.requests:
                    _bulk(s, CaseRequest, self.requests)
                n_events += len(self.events)
                n_requests += len(self.requests)
                case_rows, self.events, self.requests = [], [], []
                if (i + 1) * 10 >= tenths * n:
                    self.say(f"cases {i + 1:,} / {n:,}", 0.10 + 0.89 * (i + 1) / n)
                    tenths = (i + 1) * 10 // n + 1
        if day_seq:
            _bulk(s, Counter, [{"name": f"case:{d}", "value": v} for d, v in sorted(day_seq.items())])
        summary.cases = n
        summary.open_cases = n_open
        summary.events = n_events
        summary.requests = n_requests
        summary.counters = len(day_seq)

    # One case around the loop -------------------------------------------------------------

    def _simulate(self, case_id: int, number: str, reported_at: datetime, source: str,
                  cat: _Cat, comp: dict | None, gi: int) -> dict:
        """One case around the loop, written the way ``gridstation.cases.workflow`` writes it.

        Steps later than ``now`` are not taken: the case stays open where it is.
        """
        rng = self.rng
        cal = self.cal
        grid = self.grids[gi]
        st = self.grid_street[gi]
        district = st["district"]
        cm = self.grid_community[gi]
        if comp is not None:
            lon, lat = comp["lon"], comp["lat"]
        else:
            lon, lat = geo.quad_point(self.grid_corners[gi], rng.uniform(0.04, 0.96), rng.uniform(0.04, 0.96))
            lon, lat = round(lon, 7), round(lat, 7)
        road = self.comp_road[comp["id"]] if comp is not None else rng.choice(st["roads"])
        num = rng.randrange(1, HOUSE_NUMBERS + 1)
        address = f"{district['name']}{st['name']}{road}{num}号附近"
        if comp is not None:
            description = f"{comp['name']}{rng.choice(cat.problems)}（部件编码{comp['code']}）"
        elif cat.problems:
            description = f"{road}{num}号附近{cat.name}{rng.choice(cat.problems)}"
        else:
            place = rng.choice([f"{road}{num}号门前", f"{road}{num}号附近", f"{cm['name']}周边",
                                f"{road}与{rng.choice(st['roads'])}交叉口附近"])
            description = f"{place}{rng.choice(cat.descriptions)}"
        sup = self.grid_supervisor[gi]
        supervisor_report = source == CaseSource.SUPERVISOR.value
        if supervisor_report:
            reporter = sup if rng.random() < 0.95 else rng.choice(self.street_supervisors[st["id"]])
            reporter_name, reporter_phone = reporter["name"], reporter["phone"]
            rep_pos = Position.SUPERVISOR.value
        else:
            reporter = rng.choice(self.intake)
            rep_pos = Position.INTAKE_OPERATOR.value
            if source == CaseSource.CAMERA.value:
                reporter_name, reporter_phone = "视频巡查", ""
            else:
                reporter_name = rng.choice(SURNAMES) + rng.choice(["先生", "女士"])
                reporter_phone = f"1{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**8):08d}"
        level = cat.command_level
        if level == CommandLevel.STREET.value:
            dept = self.street_dept.get((st["id"], cat.dept_key)) or self.street_dept[(st["id"], "cgzf")]
            dispatcher = self.street_dispatcher[st["id"]]
            disp_pos = Position.STREET_DISPATCHER.value
        else:
            dept = self.agency[cat.dept_key]
            dispatcher = self.district_dispatcher[district["id"]]
            disp_pos = Position.DISPATCHER.value
        shift = self.shift_leaders[rng.random() < 0.5]
        intake = rng.choice(self.intake)

        c = _Row(
            id=case_id, number=number, source=source, category_id=cat.id,
            component_id=comp["id"] if comp else None, lon=lon, lat=lat, address=address,
            grid_id=grid["id"], description=description, reporter_name=reporter_name,
            reporter_phone=reporter_phone, reported_by_id=reporter["id"], state=None,
            command_level=level, current_department_id=None, assignee_id=None,
            reported_at=reported_at, verified_at=reported_at if supervisor_report else None,
            filed_at=None, dispatched_at=None, handled_at=None, checked_at=None, closed_at=None,
            voided_at=None, file_deadline=None, dispatch_deadline=None, handle_deadline=None,
            check_deadline=None, close_deadline=None, stage=None, stage_started_at=None,
            stage_limit_minutes=None, stage_unit=None, extension_minutes=0.0, parked_minutes=0.0,
            parked_at=None, warn_at=None, due_at=None, urged=False, urge_count=0, dispatch_count=0,
            return_count=0, rework_count=0, extension_count=0, park_count=0, pending_request_id=None,
            version=0, updated_at=reported_at, updated_by_id=None,
        )
        add = cal.add_working_minutes

        def span(limit: float, p: float = P_STEP_ON_TIME) -> float:
            """Counted minutes a step takes: within the limit, or now and then late."""
            if rng.random() < p:
                m = limit * (0.08 + 0.84 * rng.betavariate(1.6, 2.6))
            else:
                m = limit * (1.05 + rng.expovariate(2.0))
            return max(1.0, round(m * 60) / 60)

        def part(t: datetime, minutes: float, lo: float, hi: float) -> datetime:
            return add(t, round(minutes * rng.uniform(lo, hi) * 60) / 60)

        ev = self._event
        finish = self._finish
        # --- report (上报); the file clock runs from here, through 核实 for public reports
        if not ev(c, reported_at, reporter["id"], rep_pos, "report", None,
                  CaseState.TO_FILE.value if supervisor_report else CaseState.TO_VERIFY.value,
                  data={"source": source}):
            return finish(c)
        apply_clock(c, start_clock(cal, Stage.FILE, cat, reported_at))
        void = rng.random() < P_VOID
        to_file = span(cat.file_limit)
        t_file = add(reported_at, to_file)
        if not supervisor_report:
            # 核实: the intake operator sends the grid's supervisor to look.
            t = part(reported_at, to_file, 0.05, 0.2)
            if void and rng.random() < 0.35:
                # a duplicate of a case already reported: voided before anyone goes out
                if ev(c, t, shift["id"], Position.SHIFT_LEADER.value, "void", CaseState.TO_VERIFY.value,
                      CaseState.VOIDED.value, note=rng.choice(["重复上报", "不属于城市管理范围"])):
                    self._end(c, t, voided=True)
                return finish(c)
            if not ev(c, t, intake["id"], Position.INTAKE_OPERATOR.value, "assign_verify", None, None,
                      data={"assignee_id": sup["id"]}):
                return finish(c)
            c.assignee_id = sup["id"]
            t = part(reported_at, to_file, 0.4, 0.8)
            confirmed = not (void and rng.random() < 0.75)
            if not ev(c, t, sup["id"], Position.SUPERVISOR.value, "verify", CaseState.TO_VERIFY.value,
                      CaseState.TO_FILE.value, data={"confirmed": confirmed},
                      note="现场核实属实" if confirmed else rng.choice(["现场未发现问题", "核实不属实", "问题已不存在"])):
                return finish(c)
            c.verified_at = t
            c.assignee_id = None
        # --- file (立案), or void (作废)
        t = t_file
        if void:
            if ev(c, t, shift["id"], Position.SHIFT_LEADER.value, "void", CaseState.TO_FILE.value,
                  CaseState.VOIDED.value,
                  note=rng.choice(["不属于立案范围", "重复上报", "信息不全无法立案", "核实不属实"])):
                self._end(c, t, voided=True)
            return finish(c)
        if not ev(c, t, shift["id"], Position.SHIFT_LEADER.value, "file", CaseState.TO_FILE.value,
                  CaseState.TO_DISPATCH.value, data={"category_id": cat.id, "command_level": level}):
            return finish(c)
        c.filed_at = t
        apply_clock(c, start_clock(cal, Stage.DISPATCH, cat, t))

        handle_unit = TimeUnit(cat.handle_unit)
        natural = handle_unit is TimeUnit.NATURAL_HOUR
        returned = rng.random() < P_RETURN
        rework = rng.random() < P_REWORK
        # Extensions and parking happen in the last round of handling only, and never both at
        # once (one waiting request at a time), so the running clock always carries every
        # approved extension and parked minute of the case.
        extension = (not natural) and rng.random() < P_EXTENSION
        park = (not natural) and not extension and rng.random() < P_PARK
        urge = rng.random() < P_URGE
        rounds = 2 if rework else 1

        # --- a mis-dispatch that the wrong department returns (回退)
        if returned:
            wrong = self._wrong_department(dept, st, rng)
            t = add(t, span(cat.dispatch_limit))
            if not self._dispatch(c, t, dispatcher, disp_pos, wrong, cat):
                return finish(c)
            t = add(t, rng.randrange(10 * 60, 150 * 60) / 60)
            reason = rng.choice(["不属于本单位职责", "权属不清，请重新派遣", "应由其他部门处置"])
            rid = self._request(c, RequestKind.RETURN.value, wrong, t, reason=reason)
            if not ev(c, t, self.handler[wrong["id"]]["id"], Position.DEPT_HANDLER.value, "request_return",
                      CaseState.HANDLING.value, CaseState.HANDLING.value, data={"request_id": rid}, note=reason):
                self._unrequest()
                return finish(c)
            c.pending_request_id = rid
            t = add(t, rng.randrange(5 * 60, 40 * 60) / 60)
            if not ev(c, t, dispatcher["id"], disp_pos, "approve_return", CaseState.HANDLING.value,
                      CaseState.TO_DISPATCH.value, data={"request_id": rid, "kind": RequestKind.RETURN.value},
                      note="同意"):
                return finish(c)
            self._decide(rid, dispatcher, t)
            c.pending_request_id = None
            c.return_count += 1
            c.current_department_id = None
            apply_clock(c, start_clock(cal, Stage.DISPATCH, cat, t))

        for rnd in range(rounds):
            last = rnd == rounds - 1
            # --- dispatch (派遣)
            t = add(t, span(cat.dispatch_limit))
            if not self._dispatch(c, t, dispatcher, disp_pos, dept, cat):
                return finish(c)
            handler = self.handler[dept["id"]]
            t0 = t
            limit = cal.limit_minutes(cat.handle_limit, handle_unit)
            hadd = _add_natural if natural else add
            ext_min = 0.0
            if last and extension:
                ext_min = max(2, round(limit / 60 * rng.uniform(0.4, 1.0))) * 60.0
            # Counted handling time until the feedback (parked time does not count).
            if rng.random() < P_HANDLE_ON_TIME:
                frac = 0.05 + 0.9 * rng.betavariate(1.5, 2.2)
                if last and extension:  # the extension is what makes it in time
                    frac = rng.uniform(limit / (limit + ext_min) + 0.02, 0.98)
            else:
                frac = 1.03 + rng.expovariate(1.6)
            e_total = max(2.0, round((limit + ext_min) * frac))
            steps: list[tuple[float, str]] = []
            if last and urge:
                cu = round(min(e_total * rng.uniform(0.3, 0.8), limit * rng.uniform(0.6, 1.2)))
                steps.append((cu, "urge"))
                steps.append((max(cu, min(e_total - 1, cu + rng.randrange(20, 240))), "reply_urge"))
            if last and extension:
                ce = round(min(limit * rng.uniform(0.35, 0.85), e_total * 0.8))
                steps.append((ce, "request_extension"))
                steps.append((max(ce, min(e_total - 1, ce + rng.randrange(10, 90))), "approve_extension"))
            park_len = 0.0
            if last and park:
                cp = round(min(e_total * rng.uniform(0.3, 0.7), limit * 0.9))
                cpa = max(cp, min(e_total - 1, cp + rng.randrange(15, 120)))
                steps.append((cp, "request_park"))
                steps.append((cpa, "approve_park"))
                # Parked for days to weeks (budget, a works plan); the counted clock stands
                # still and resumes at the same counted minute.
                park_len = round(cal.day_minutes * rng.uniform(4, 45))
                steps.append((cpa, "resume"))
            steps.sort(key=lambda x: (x[0], _STEP_ORDER[x[1]]))
            park_at_counted = None
            rid = None
            ext_hours = ext_min / 60.0
            for counted, what in steps:
                if what == "resume":
                    tt = hadd(t0, park_at_counted + park_len)
                else:
                    tt = _wall(hadd, t0, counted, park_at_counted, park_len)
                if what == "urge":
                    opinion = rng.choice(["请加快处置进度", "群众反映强烈，请尽快解决", "请于今日内处置完毕并反馈",
                                          "领导督办，请高度重视"])
                    if not ev(c, tt, self.leader["id"], Position.LEADER.value, "urge", None, None,
                              data={"opinion": opinion}, note=opinion):
                        return finish(c)
                    c.urged = True
                    c.urge_count += 1
                elif what == "reply_urge":
                    reply = rng.choice(["已安排人员前往处置", "正在处置中，预计今日完成", "已协调相关单位处理"])
                    if not ev(c, tt, handler["id"], Position.DEPT_HANDLER.value, "reply_urge", None, None,
                              data={"reply": reply}, note=reply):
                        return finish(c)
                    c.urged = False
                elif what in ("request_extension", "request_park"):
                    kind = RequestKind.EXTENSION.value if what == "request_extension" else RequestKind.PARK.value
                    reason = rng.choice(_REASONS[kind])
                    hours = ext_hours if kind == RequestKind.EXTENSION.value else None
                    rid = self._request(c, kind, dept, tt, reason=reason, hours=hours)
                    data = {"request_id": rid} if hours is None else {"request_id": rid, "hours": hours}
                    if not ev(c, tt, handler["id"], Position.DEPT_HANDLER.value, what, CaseState.HANDLING.value,
                              CaseState.HANDLING.value, data=data, note=reason):
                        self._unrequest()
                        return finish(c)
                    c.pending_request_id = rid
                elif what == "approve_extension":
                    if not ev(c, tt, dispatcher["id"], disp_pos, what, CaseState.HANDLING.value,
                              CaseState.HANDLING.value,
                              data={"request_id": rid, "kind": RequestKind.EXTENSION.value, "hours": ext_hours},
                              note="同意"):
                        return finish(c)
                    self._decide(rid, dispatcher, tt)
                    c.pending_request_id = None
                    c.extension_count += 1
                    apply_clock(c, start_clock(cal, Stage.HANDLE, cat, t0, extension_minutes=ext_min,
                                               parked_minutes=c.parked_minutes))
                elif what == "approve_park":
                    if not ev(c, tt, dispatcher["id"], disp_pos, what, CaseState.HANDLING.value,
                              CaseState.PARKED.value, data={"request_id": rid, "kind": RequestKind.PARK.value},
                              note="同意"):
                        return finish(c)
                    self._decide(rid, dispatcher, tt)
                    c.pending_request_id = None
                    c.park_count += 1
                    c.parked_at = tt
                    park_at_counted = counted
                elif what == "resume":
                    parked = cal.elapsed(c.parked_at, tt, handle_unit)
                    if not ev(c, tt, dispatcher["id"], disp_pos, "resume", CaseState.PARKED.value,
                              CaseState.HANDLING.value, data={"parked_minutes": round(parked, 2)},
                              note="挂账恢复处置"):
                        return finish(c)
                    c.parked_minutes = c.parked_minutes + parked
                    c.parked_at = None
                    apply_clock(c, start_clock(cal, Stage.HANDLE, cat, t0, extension_minutes=c.extension_minutes,
                                               parked_minutes=c.parked_minutes))
            # --- feedback (处置反馈)
            t = _wall(hadd, t0, e_total, park_at_counted, park_len)
            if not ev(c, t, handler["id"], Position.DEPT_HANDLER.value, "feedback", CaseState.HANDLING.value,
                      CaseState.TO_CHECK.value, note=f"已处置：{cat.closing}"):
                return finish(c)
            c.handled_at = t
            apply_clock(c, start_clock(cal, Stage.CHECK, cat, t))
            # --- re-check on site (核查)
            to_check = span(cat.check_limit, 0.95)
            t_check = add(t, to_check)
            t = add(t, max(1.0, min(round(rng.uniform(1, 10)), to_check / 2)))
            if not ev(c, t, intake["id"], Position.INTAKE_OPERATOR.value, "assign_check", None, None,
                      data={"assignee_id": sup["id"]}):
                return finish(c)
            c.assignee_id = sup["id"]
            t = max(t, t_check)
            fixed = last
            if not ev(c, t, sup["id"], Position.SUPERVISOR.value, "recheck", CaseState.TO_CHECK.value,
                      CaseState.TO_CLOSE.value if fixed else CaseState.TO_DISPATCH.value,
                      data={"fixed": fixed}, note="现场核查已处置" if fixed else "现场核查未处置到位，返工"):
                return finish(c)
            c.checked_at = t
            c.assignee_id = None
            if fixed:
                apply_clock(c, start_clock(cal, Stage.CLOSE, cat, t))
            else:
                c.rework_count += 1
                c.current_department_id = None
                apply_clock(c, start_clock(cal, Stage.DISPATCH, cat, t))
        # --- close (结案)
        t = add(t, span(cat.close_limit))
        if not ev(c, t, shift["id"], Position.SHIFT_LEADER.value, "close", CaseState.TO_CLOSE.value,
                  CaseState.CLOSED.value, note="核查通过，予以结案"):
            return finish(c)
        self._end(c, t, voided=False)
        return finish(c)

    def _end(self, c: _Row, t: datetime, *, voided: bool) -> None:
        if voided:
            c.voided_at = t
        else:
            c.closed_at = t
        c.assignee_id = None
        c.urged = False
        apply_clock(c, None)

    def _dispatch(self, c: _Row, t: datetime, dispatcher: dict, pos: str, dept: dict, cat: _Cat) -> bool:
        c.current_department_id = dept["id"]
        if not self._event(c, t, dispatcher["id"], pos, "dispatch", CaseState.TO_DISPATCH.value,
                           CaseState.HANDLING.value, data={"department_id": dept["id"]}, note="请按时限处置"):
            c.current_department_id = None
            return False
        c.dispatched_at = t
        c.dispatch_count += 1
        c.parked_at = None
        apply_clock(c, start_clock(self.cal, Stage.HANDLE, cat, t))
        return True

    def _wrong_department(self, dept: dict, st: dict, rng: random.Random) -> dict:
        """Where a case gets mis-dispatched: the other unit of the street, or a neighbouring trade.

        (A street unit serves its own street only, so the workflow refuses sending a case to
        the street next door.)
        """
        if dept["level"] == CommandLevel.STREET.value:
            sibs = [d for d in self.street_depts_of[st["id"]] if d is not dept]
            return rng.choice(sibs) if sibs else self.agency["cgzf"]
        code = _CONFUSED_WITH.get(dept["code"])
        if code:
            return next(d for d in self.depts if d["code"] == code)
        return rng.choice([d for d in self.depts if d["level"] == CommandLevel.DISTRICT.value and d is not dept])

    def _request(self, c: _Row, kind: str, dept: dict, t: datetime, *, reason: str, hours: float | None = None) -> int:
        rid = self.next_request_id
        self.next_request_id += 1
        self.requests.append({
            "id": rid, "case_id": c.id, "kind": kind, "requested_by_id": self.handler[dept["id"]]["id"],
            "requested_at": t, "reason": reason, "hours": hours, "decided_by_id": None,
            "decided_at": None, "approved": None, "decision_note": "",
        })
        return rid

    def _unrequest(self) -> None:
        """Forget the request just made (its event lies after ``now``)."""
        self.requests.pop()
        self.next_request_id -= 1

    def _decide(self, rid: int, by: dict, t: datetime) -> None:
        r = self.requests[-1]
        assert r["id"] == rid
        r["decided_by_id"] = by["id"]
        r["decided_at"] = t
        r["approved"] = True
        r["decision_note"] = "同意"

    def _event(self, c: _Row, t: datetime, user_id: int, position: str, action: str,
               from_state: str | None, to_state: str | None, *, data: dict | None = None, note: str = "") -> bool:
        """Append one event if it happened by ``now``; False (nothing written) otherwise.

        Like the workflow service, an event names the department the case is with (before any
        change this step makes to it: a return or a rework names the department it leaves).
        """
        if t > self.now:
            return False
        if from_state is None and to_state is None:
            from_state = to_state = c.state
        self.events.append({
            "id": self.next_event_id, "case_id": c.id, "at": t, "user_id": user_id,
            "position": position, "action": action, "from_state": from_state, "to_state": to_state,
            "department_id": c.current_department_id, "note": note, "data": data,
        })
        self.next_event_id += 1
        c.state = to_state
        c.version += 1
        c.updated_at = t
        c.updated_by_id = user_id
        return True

    def _finish(self, c: _Row) -> dict:
        return c.__dict__


def _add_natural(base: datetime, minutes: float) -> datetime:
    return base + timedelta(minutes=minutes)


def _wall(add, t0: datetime, counted: float, park_at: float | None, park_len: float) -> datetime:
    """Wall-clock time of a counted minute of handling; parked time (from park_at) not counted."""
    if park_at is not None and counted >= park_at:
        return add(t0, counted + park_len)
    return add(t0, counted)


# Pairs of district agencies that get each other's cases by mistake (回退 then follows).
_CONFUSED_WITH = {"101": "115", "115": "101", "102": "104", "104": "102", "109": "115", "113": "110",
                  "110": "113", "103": "101", "114": "105", "105": "114", "106": "107", "107": "106"}

_REASONS = {
    RequestKind.EXTENSION.value: ["需协调相关单位", "材料采购需要时间", "工程量较大", "需等待天气好转后施工"],
    RequestKind.PARK.value: ["需列入年度维修计划", "涉及资金审批", "权属争议待协调", "需市级部门统一安排"],
}

# Order of handling steps that fall on the same counted minute.
_STEP_ORDER = {"urge": 0, "request_extension": 1, "request_park": 2, "approve_park": 3,
               "resume": 4, "approve_extension": 5, "reply_urge": 6}
