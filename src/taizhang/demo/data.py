"""The article (seed/article.txt) as data: the enterprise, its people, the 2014 campaign, what people said and
what became of it.

Plain data, importable without Django. Times are in 2014, Asia/Shanghai, written "MM-DD" or "MM-DD HH:MM"
(a step without a time happens at 10:00). People are named by username, units, categories and places by code,
opinions and problems by key. The loader replays everything through the services, in time order.

The done quantities of the six achievement categories add up to the article's 成绩单; the other categories
carry no quantities, so they add no achievement line.
"""

from __future__ import annotations

from dataclasses import dataclass

YEAR = 2014
TIME_ZONE = "Asia/Shanghai"

# Channels and verdicts as their stored values, so this module needs no Django import.
WEB, QR, VISIT, TALK, MEETING, HOTLINE, MAILBOX, SUPERVISION = (
    "web",
    "qr",
    "visit",
    "talk",
    "meeting",
    "hotline",
    "mailbox",
    "supervision",
)
OK, BASIC, BAD = "satisfied", "basically_satisfied", "unsatisfied"
HANDLER, LEADER, SUPERVISOR, ADMIN = "handler", "leader", "supervisor", "admin"


# --- shapes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    parent: str | None
    kind: str
    order: int = 0


@dataclass(frozen=True)
class PersonSpec:
    username: str
    name: str
    unit: str
    title: str
    roles: tuple[tuple[str, str], ...] = ()  # (role, unit code of the subtree it covers)
    superuser: bool = False


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    group: str
    noun: str = ""
    verb: str = ""
    measure: str = ""
    evidence: bool = True
    deadline_days: int = 60
    look_back_days: int = 90
    order: int = 0


@dataclass(frozen=True)
class PlaceSpec:
    code: str
    name: str
    unit: str
    description: str = ""


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    starts: str
    ends: str


@dataclass(frozen=True)
class CampaignSpec:
    code: str
    name: str
    description: str
    starts: str
    ends: str
    organiser: str
    phases: tuple[PhaseSpec, ...]


@dataclass(frozen=True)
class OpinionSpec:
    """One opinion. `by` is a demo login submitting it herself (web, QR, supervision group); `contact` is
    the name written down by whoever took it offline (visit, talk, meeting, hotline, signed mailbox note).

    With `problem`, the first opinion naming a problem is triaged into it; later ones join it as raisers of
    their own, or, with `merge`, as duplicates of that first opinion.
    """

    key: str
    at: str
    channel: str
    text: str
    unit: str
    category: str | None = None
    place: str | None = None
    by: str | None = None
    contact: str = ""
    phone: str = ""
    anonymous: bool = False
    problem: str | None = None
    merge: bool = False
    answer: str = ""
    decline: str = ""
    withdraw: bool = False
    handled_days: int = 3


# Steps of a problem's history. `by` is a username; `raiser` is the key of the opinion whose raiser acts
# (signed-in raisers as themselves, the others through their receipt code).


@dataclass(frozen=True)
class Start:
    at: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class Progress:
    at: str
    by: str
    note: str
    done: int | None = None
    photo: bool = False


@dataclass(frozen=True)
class AskExtension:
    at: str
    by: str
    until: str
    reason: str


@dataclass(frozen=True)
class DecideExtension:
    at: str
    by: str
    approve: bool
    note: str


@dataclass(frozen=True)
class AskCloseout:
    at: str
    by: str
    note: str
    done: int | None = None
    photos: int = 1


@dataclass(frozen=True)
class Sign:
    at: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class Reject:
    at: str
    by: str
    reason: str


@dataclass(frozen=True)
class Verify:
    at: str
    by: str
    note: str = ""
    notice_days: int = 0


@dataclass(frozen=True)
class Object:
    at: str
    raiser: str
    reason: str


@dataclass(frozen=True)
class DecideObjection:
    at: str
    by: str
    uphold: bool
    reason: str


@dataclass(frozen=True)
class ConcludeNotice:
    at: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class Rate:
    at: str
    raiser: str
    verdict: str
    comment: str = ""


@dataclass(frozen=True)
class LookBack:
    at: str
    by: str
    holds: bool
    note: str


@dataclass(frozen=True)
class Urge:
    at: str
    by: str
    note: str


@dataclass(frozen=True)
class Return:
    at: str
    by: str
    reason: str


@dataclass(frozen=True)
class Reassign:
    at: str
    by: str
    unit: str
    leader: str
    owner: str
    deadline: str
    note: str


@dataclass(frozen=True)
class Cancel:
    at: str
    by: str
    reason: str


@dataclass(frozen=True)
class MeToo:
    """“我也遇到”: `by` None adds an anonymous voice; `key` names the new opinion for later ratings."""

    at: str
    key: str
    by: str | None
    text: str


@dataclass(frozen=True)
class Support:
    at: str
    by: str


type Step = (
    Start
    | Progress
    | AskExtension
    | DecideExtension
    | AskCloseout
    | Sign
    | Reject
    | Verify
    | Object
    | DecideObjection
    | ConcludeNotice
    | Rate
    | LookBack
    | Urge
    | Return
    | Reassign
    | Cancel
    | MeToo
    | Support
)


@dataclass(frozen=True)
class ProblemSpec:
    key: str
    title: str
    category: str
    unit: str
    listed: str
    deadline: str | None
    leader: str
    owner: str
    description: str
    measures: str
    target: int | None = None
    assisting: tuple[str, ...] = ()
    priority: int = 2
    long_term: bool = False
    parent: str | None = None
    weight: int = 1
    listed_by: str = "yangzhaohui"
    source: str = ""
    steps: tuple[Step, ...] = ()


# --- the organisation -----------------------------------------------------------------------------------

ENTERPRISE, BRANCH, DEPARTMENT, TEAM, OFFICE = "enterprise", "branch", "department", "team", "office"

UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("zlsx", "中铝山西企业", None, ENTERPRISE),
    UnitSpec("sxlc", "山西铝厂", "zlsx", ENTERPRISE, 1),
    UnitSpec("sxfgs", "山西分公司", "zlsx", ENTERPRISE, 2),
    UnitSpec("sxlc-bgs", "办公室", "sxlc", DEPARTMENT, 1),
    UnitSpec("sxlc-xcb", "党委宣传部", "sxlc", DEPARTMENT, 2),
    UnitSpec("sxlc-jjjc", "纪检监察工作部", "sxlc", OFFICE, 3),
    UnitSpec("sxlc-hdb", "活动办公室", "sxlc", OFFICE, 4),
    UnitSpec("sxlc-bwb", "保卫部", "sxlc", DEPARTMENT, 5),
    UnitSpec("yhl1", "第一氧化铝厂", "sxlc", BRANCH, 10),
    UnitSpec("yhl1-yl", "原料车间", "yhl1", DEPARTMENT, 1),
    UnitSpec("yhl1-rc", "溶出车间", "yhl1", DEPARTMENT, 2),
    UnitSpec("yhl2", "第二氧化铝厂", "sxlc", BRANCH, 11),
    UnitSpec("yhl2-fj", "分解车间", "yhl2", DEPARTMENT, 1),
    UnitSpec("rdfc", "热电分厂", "sxlc", BRANCH, 12),
    UnitSpec("rdfc-gl2", "锅炉二车间", "rdfc", DEPARTMENT, 1),
    UnitSpec("rdfc-qj", "汽机车间", "rdfc", DEPARTMENT, 2),
    UnitSpec("shfw", "生活服务中心", "sxlc", BRANCH, 13),
    UnitSpec("shfw-wy", "物业管理部", "shfw", DEPARTMENT, 1),
    UnitSpec("shfw-lh", "绿化队", "shfw", TEAM, 2),
    UnitSpec("sxfgs-bgs", "综合办公室", "sxfgs", DEPARTMENT, 1),
    UnitSpec("sxfgs-ysb", "运输部", "sxfgs", DEPARTMENT, 2),
)

PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec("admin", "系统管理员", "zlsx", "信息中心系统管理员", ((ADMIN, "zlsx"),), superuser=True),
    # Leaders named in the article.
    PersonSpec("guoshunxi", "郭顺喜", "sxlc", "山西铝厂党委书记", ((LEADER, "sxlc"),)),
    PersonSpec("yuanweiping", "原卫平", "yhl1", "第一氧化铝厂党委书记", ((LEADER, "yhl1"),)),
    PersonSpec("liqinghong", "李庆红", "yhl2", "第二氧化铝厂党委书记", ((LEADER, "yhl2"),)),
    PersonSpec("chenjunhong", "陈军红", "shfw", "生活服务中心党委书记", ((LEADER, "shfw"),)),
    # The enterprise supervision group (企业督导组) and the campaign office.
    PersonSpec(
        "yangzhaohui",
        "杨朝晖",
        "sxlc-jjjc",
        "纪检监察工作部副部长、企业督导组成员",
        ((SUPERVISOR, "zlsx"),),
    ),
    PersonSpec(
        "wangzhiqiang", "王志强", "sxlc-hdb", "活动办公室主任、企业督导组成员", ((SUPERVISOR, "zlsx"),)
    ),
    # Other leaders.
    PersonSpec("zhaoweidong", "赵卫东", "rdfc", "热电分厂厂长", ((LEADER, "rdfc"),)),
    PersonSpec("sunlixin", "孙立新", "sxlc-bgs", "办公室主任", ((LEADER, "sxlc-bgs"),)),
    PersonSpec("wuxiaohong", "武晓红", "sxlc-xcb", "党委宣传部部长", ((LEADER, "sxlc-xcb"),)),
    PersonSpec("hanzhigang", "韩志刚", "sxlc-jjjc", "纪检监察工作部部长", ((LEADER, "sxlc-jjjc"),)),
    PersonSpec("duanjianping", "段建平", "sxfgs", "山西分公司副总经理", ((LEADER, "sxfgs"),)),
    # Handlers (经办人).
    PersonSpec("houtongyi", "侯同义", "yhl1-yl", "原料车间作业长", ((HANDLER, "yhl1-yl"),)),
    PersonSpec("niujianjun", "牛建军", "yhl1", "第一氧化铝厂设备管理室主任", ((HANDLER, "yhl1"),)),
    PersonSpec("hezhiming", "贺志明", "yhl2", "第二氧化铝厂综合管理室主任", ((HANDLER, "yhl2"),)),
    PersonSpec("liuhaijun", "刘海军", "rdfc-gl2", "锅炉二车间主任", ((HANDLER, "rdfc-gl2"),)),
    PersonSpec("baiyunfei", "白云飞", "rdfc", "热电分厂综合办主任", ((HANDLER, "rdfc"),)),
    PersonSpec("wanghongmei", "王红梅", "shfw-wy", "物业管理部经理", ((HANDLER, "shfw"),)),
    PersonSpec("libaocheng", "李宝成", "shfw", "生活服务中心基建维修科科长", ((HANDLER, "shfw"),)),
    PersonSpec("zhouli", "周丽", "sxlc-bgs", "办公室秘书科科长", ((HANDLER, "sxlc-bgs"),)),
    PersonSpec("jiapeng", "贾鹏", "sxlc-xcb", "党委宣传部新闻科科长", ((HANDLER, "sxlc-xcb"),)),
    PersonSpec("haomin", "郝敏", "sxlc-jjjc", "纪检监察工作部监察室主任", ((HANDLER, "sxlc-jjjc"),)),
    PersonSpec("tianguoqing", "田国庆", "sxfgs-ysb", "运输部部长", ((HANDLER, "sxfgs"),)),
    PersonSpec("kangliping", "康丽萍", "sxfgs-bgs", "综合办公室副主任", ((HANDLER, "sxfgs"),)),
    # Employees (群众): the two the article quotes, and their colleagues.
    PersonSpec("zhengxikang", "郑喜康", "yhl1-yl", "原料车间员工"),
    PersonSpec("fanjun", "樊军", "rdfc-gl2", "锅炉二车间员工"),
    PersonSpec("majun", "马俊", "yhl1-yl", "原料车间皮带工"),
    PersonSpec("wanglijuan", "王丽娟", "yhl1-rc", "溶出车间操作工"),
    PersonSpec("chenglei", "程磊", "yhl1-rc", "溶出车间检修工"),
    PersonSpec("gaojianhua", "高建华", "yhl2-fj", "分解车间班长"),
    PersonSpec("zhangxiaoyan", "张晓燕", "yhl2-fj", "分解车间化验员"),
    PersonSpec("zhaopengfei", "赵鹏飞", "rdfc-qj", "汽机车间值班员"),
    PersonSpec("songjie", "宋杰", "rdfc-gl2", "锅炉二车间司炉工"),
    PersonSpec("liuxiuying", "刘秀英", "shfw-wy", "物业管理部保洁员"),
    PersonSpec("lichunsheng", "李春生", "shfw-lh", "绿化队职工"),
    PersonSpec("fanyumei", "范玉梅", "sxlc-bgs", "办公室文员"),
    PersonSpec("duwenbin", "杜文斌", "sxfgs-ysb", "运输部驾驶员"),
    PersonSpec("yanghui", "杨慧", "sxfgs-bgs", "综合办公室职员"),
)

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("ludeng", "路灯照明", "民生设施", "路灯", "修复", "盏", order=10),
    CategorySpec("weishengjian", "卫生间", "民生设施", "卫生间", "整修", "间", order=20),
    CategorySpec("zaotang", "澡堂", "民生设施", "职工澡堂", "修缮", "个", order=30),
    CategorySpec("tingchewei", "停车位", "民生设施", "停车位", "规划", "个", deadline_days=90, order=40),
    CategorySpec("jianshen", "健身器材", "民生设施", "健身器材", "配置", "件", look_back_days=180, order=50),
    CategorySpec("daolu", "道路", "民生设施", "主干道", "整治", "条", deadline_days=120, order=60),
    CategorySpec("lvhua", "绿化", "民生设施", deadline_days=90, order=70),
    CategorySpec("gongshui", "供水", "民生设施", order=80),
    CategorySpec("laobao", "劳保工作服", "民生设施", deadline_days=45, order=90),
    CategorySpec("shitang", "职工食堂", "民生设施", deadline_days=30, order=100),
    CategorySpec("luandajian", "乱搭乱建", "环境整治", order=110),
    CategorySpec("huifeng", "会风文风", "作风建设", evidence=False, deadline_days=90, order=200),
    CategorySpec("xuanchuan", "新闻宣传", "作风建设", evidence=False, order=210),
    CategorySpec("gongche", "公车管理", "作风建设", evidence=False, order=220),
    CategorySpec("jiedai", "公务接待", "作风建设", evidence=False, order=230),
    CategorySpec("peixun", "外出培训", "作风建设", evidence=False, order=240),
    CategorySpec("lianjie", "廉洁自律", "作风建设", evidence=False, order=250),
    CategorySpec("zuofeng", "工作作风", "作风建设", evidence=False, deadline_days=90, order=260),
    CategorySpec("qita", "其他", "其他", deadline_days=30, order=900),
)

PLACES: tuple[PlaceSpec, ...] = (
    PlaceSpec("yl-13-yuancang", "原料车间13号大圆仓", "yhl1-yl", "仓顶岗位离地面40米以上"),
    PlaceSpec("lucheng-dadao", "铝城大道", "shfw", "生活区南北主干道"),
    PlaceSpec("shq-1", "生活一区", "shfw", "一区住宅楼及公厕"),
    PlaceSpec("shq-3", "生活三区", "shfw", "三区院内道路"),
    PlaceSpec("shq-5", "生活五区", "shfw", "五区住宅楼及巷道"),
    PlaceSpec("jianshen-guangchang", "生活区健身广场", "shfw", "铝城公园东侧"),
    PlaceSpec("shitang-1", "职工一食堂", "shfw", "生活区职工一食堂"),
    PlaceSpec("yhl1-zaotang", "第一氧化铝厂职工澡堂", "yhl1", "厂区东门内"),
    PlaceSpec("yhl2-fj-wc", "分解车间卫生间", "yhl2-fj", "分解车间一楼"),
    PlaceSpec("gl2-gengyishi", "锅炉二车间更衣室", "rdfc-gl2", "锅炉二车间主厂房一层"),
    PlaceSpec("bangonglou", "办公楼前广场", "sxlc-bgs", "厂部办公楼前"),
)

CAMPAIGN = CampaignSpec(
    code="qzlx-2014",
    name="党的群众路线教育实践活动",
    description=(
        "中铝山西企业党的群众路线教育实践活动，2014年2月启动。聚焦“四风”，听民声、聚民智、解民忧，"
        "列出问题清单，建立整改台账，实行销号管理，完成一项、销号一项。"
    ),
    starts="02-14",
    ends="10-31",
    organiser="zlsx",
    phases=(
        PhaseSpec("学习教育、听取意见", "02-14", "04-30"),
        PhaseSpec("查摆问题、开展批评", "05-01", "08-10"),
        PhaseSpec("整改落实、建章立制", "08-11", "10-31"),
    ),
)

#: 问题来源, from the channel of the opinion a problem was first listed from.
SOURCE_BY_CHANNEL = {
    WEB: "网上征求意见",
    QR: "扫码反映",
    VISIT: "领导干部下基层走访",
    TALK: "谈心谈话",
    MEETING: "职工座谈会",
    HOTLINE: "活动办公室热线",
    MAILBOX: "意见箱",
    SUPERVISION: "督导组检查",
}

#: The 成绩单 as the article prints it; the loader checks the ledger adds up to it.
ACHIEVEMENTS: tuple[str, ...] = (
    "修复路灯 698 盏",
    "整修卫生间 217 间",
    "修缮职工澡堂 4 个",
    "规划停车位 446 个",
    "配置健身器材 104 件",
    "整治主干道 4 条",
)


# --- what people said ------------------------------------------------------------------------------------

OPINIONS: tuple[OpinionSpec, ...] = (
    # 13号大圆仓: the water the article tells of.
    OpinionSpec(
        "g1a",
        "03-06 10:20",
        WEB,
        "13号大圆仓离地面有40米以上，离车间水源远，二十多年来岗位上吃水用水都要从地面往上提，"
        "夏天一桶水提上去人都累得不行。希望车间想办法把水接到仓顶岗位上。",
        "yhl1-yl",
        "gongshui",
        place="yl-13-yuancang",
        by="zhengxikang",
        problem="G1",
    ),
    OpinionSpec(
        "g1b",
        "03-12 15:10",
        MEETING,
        "原料车间职工座谈会上，大圆仓岗位几名职工反映：仓顶没有水源，喝水洗手都要下到地面，"
        "一上一下二十多分钟，影响巡检。",
        "yhl1-yl",
        "gongshui",
        contact="赵永刚",
        problem="G1",
        merge=True,
    ),
    OpinionSpec(
        "g1c",
        "03-20 09:40",
        VISIT,
        "原卫平书记到原料车间联系点走访，大圆仓岗位职工提出：仓顶作业没有水，夏季高温中暑风险大，"
        "请求安装供水管道。",
        "yhl1-yl",
        "gongshui",
        contact="李建民",
        problem="G1",
    ),
    OpinionSpec(
        "g1d",
        "03-25 20:15",
        HOTLINE,
        "我是原料车间的，13号大圆仓上面常年没水，以前反映过好几次都说距离远解决不了，这次活动能不能真解决？",
        "yhl1-yl",
        "gongshui",
        anonymous=True,
        problem="G1",
    ),
    # 锅炉二车间: work clothes.
    OpinionSpec(
        "lb1a",
        "03-10 16:30",
        WEB,
        "锅炉二车间工作服一年只发两套，锅炉岗位粉尘大、夏天出汗多，两套换洗不过来，"
        "经常穿着没干透的工作服上岗。希望多配备工作服。",
        "rdfc-gl2",
        "laobao",
        by="fanjun",
        problem="LB1",
    ),
    OpinionSpec(
        "lb1b",
        "03-14 10:00",
        TALK,
        "车间谈心谈话时女工提出，工作服尺码不全，发下来的大多偏大，挽着袖子干活不安全。",
        "rdfc-gl2",
        "laobao",
        contact="王海燕",
        problem="LB1",
    ),
    OpinionSpec(
        "lb1c",
        "03-17 08:00",
        MAILBOX,
        "锅炉二车间的工作服质量差，洗几次就破，建议换供应商，并增加发放数量。",
        "rdfc-gl2",
        "laobao",
        anonymous=True,
        problem="LB1",
        merge=True,
    ),
    # 锅炉二车间: changing room and toilets.
    OpinionSpec(
        "w3a",
        "03-11 17:05",
        WEB,
        "锅炉二车间更衣室墙皮脱落、更衣柜锈坏，卫生间下水经常堵，冬天也没有暖气，希望彻底改造一下。",
        "rdfc-gl2",
        "weishengjian",
        place="gl2-gengyishi",
        by="fanjun",
        problem="W3",
    ),
    OpinionSpec(
        "w3b",
        "03-14 15:30",
        MEETING,
        "座谈会上有职工提出，车间更衣室太小，交接班时几十个人挤不开，卫生间只有一个蹲位。",
        "rdfc-gl2",
        "weishengjian",
        anonymous=True,
        problem="W3",
    ),
    OpinionSpec(
        "w3c",
        "03-19 07:50",
        QR,
        "更衣室通风差，味道大；卫生间水箱漏水好几个月了。",
        "rdfc-gl2",
        "weishengjian",
        place="gl2-gengyishi",
        by="songjie",
        problem="W3",
        merge=True,
    ),
    # Street lights of the living quarters: the loudest voice of the campaign.
    OpinionSpec(
        "l1a",
        "02-24 21:10",
        HOTLINE,
        "铝城大道从职工医院到三区门口一长段路灯都不亮，晚上下夜班骑车回家黑乎乎的，前几天有人摔了一跤。",
        "shfw",
        "ludeng",
        contact="张秀兰",
        phone="内线6231",
        problem="L1",
    ),
    OpinionSpec(
        "l1b",
        "02-26 22:40",
        WEB,
        "生活区二区、四区的路灯坏了快一年了，一直没人修，晚上老人孩子出门不安全。",
        "shfw",
        "ludeng",
        anonymous=True,
        problem="L1",
    ),
    OpinionSpec(
        "l1c",
        "03-03 19:25",
        QR,
        "从这根灯杆往北，连着七八盏灯都不亮。",
        "shfw",
        "ludeng",
        place="lucheng-dadao",
        anonymous=True,
        problem="L1",
        merge=True,
    ),
    OpinionSpec(
        "l1d",
        "03-05 08:00",
        MAILBOX,
        "生活区晚上太黑了，建议尽快修路灯，别等出了事再修。",
        "shfw",
        "ludeng",
        anonymous=True,
        problem="L1",
        merge=True,
    ),
    OpinionSpec(
        "l1e",
        "03-07 15:00",
        VISIT,
        "陈军红书记到生活区走访，退休职工反映一区至五区主干道路灯损坏多，晚上锻炼完只能摸黑回家。",
        "shfw",
        "ludeng",
        contact="刘桂芳",
        problem="L1",
    ),
    OpinionSpec(
        "l1f",
        "03-10 06:40",
        WEB,
        "我在物业上班，早晚清扫时发现铝城大道、五区路口很多灯杆灯头都掉了，线路也老化了，需要统一检修。",
        "shfw",
        "ludeng",
        by="liuxiuying",
        problem="L1",
    ),
    OpinionSpec(
        "l1g",
        "03-12 09:30",
        MEETING,
        "生活服务中心居民座谈会上，大家意见最集中的就是路灯，要求限期修好，修好后要有人管。",
        "shfw",
        "ludeng",
        contact="赵晓军",
        problem="L1",
    ),
    OpinionSpec(
        "l1h",
        "03-13 23:55",
        WEB,
        "下中班十二点回家，铝城大道黑得什么也看不见，女职工都不敢一个人走。",
        "shfw",
        "ludeng",
        by="wanglijuan",
        problem="L1",
    ),
    OpinionSpec(
        "l1i",
        "03-16 20:05",
        QR,
        "路灯不亮，灯杆底下的电线还露在外面，孩子放学经过太危险了。",
        "shfw",
        "ludeng",
        place="lucheng-dadao",
        anonymous=True,
        problem="L1",
        merge=True,
    ),
    OpinionSpec(
        "l1j",
        "03-17 12:20",
        HOTLINE,
        "二区路灯晚上不亮，白天反倒亮着，浪费电，请查一下开关。",
        "shfw",
        "ludeng",
        anonymous=True,
        problem="L1",
        merge=True,
    ),
    OpinionSpec(
        "l1k",
        "03-18 18:45",
        WEB,
        "建议生活区路灯加装时控开关，坏了能及时发现、及时修。",
        "shfw",
        "ludeng",
        by="duwenbin",
        problem="L1",
    ),
    OpinionSpec(
        "l1l",
        "04-08 21:30",
        WEB,
        "铝城大道的路灯修好了一部分，二区里面还是黑的，希望一起修完。",
        "shfw",
        "ludeng",
        anonymous=True,
        problem="L1",
    ),
    OpinionSpec(
        "l1m",
        "04-15 19:00",
        HOTLINE,
        "四区路口那几盏灯还没修，晚上车多，过马路看不清。",
        "shfw",
        "ludeng",
        contact="高玉梅",
        problem="L1",
        merge=True,
    ),
    OpinionSpec(
        "l1n",
        "04-22 08:00",
        MAILBOX,
        "路灯修得快，点个赞！希望其他区也抓紧。",
        "shfw",
        "ludeng",
        anonymous=True,
        problem="L1",
        merge=True,
    ),
    # 生活三区 lights: repaired, regressed, repaired for good.
    OpinionSpec(
        "l6a",
        "03-13 21:00",
        HOTLINE,
        "生活三区院里的路灯一到晚上就不亮，打电话给物业也没用。",
        "shfw",
        "ludeng",
        place="shq-3",
        anonymous=True,
        problem="L6",
    ),
    OpinionSpec(
        "l6b",
        "03-18 20:30",
        QR,
        "三区12号楼到18号楼之间一盏灯都不亮。",
        "shfw",
        "ludeng",
        place="shq-3",
        anonymous=True,
        problem="L6",
        merge=True,
    ),
    OpinionSpec(
        "l6c",
        "03-21 19:10",
        WEB,
        "三区院里的路灯线路老化，修了没几天又坏，希望这次彻底更换线路，别修修补补。",
        "shfw",
        "ludeng",
        place="shq-3",
        by="chenglei",
        problem="L6",
    ),
    # Factory lighting.
    OpinionSpec(
        "l2a",
        "03-04 02:30",
        WEB,
        "厂区东西主干道到溶出车间一段路灯不亮，夜班巡检要打手电，叉车过来很危险。",
        "yhl1",
        "ludeng",
        by="wanglijuan",
        problem="L2",
    ),
    OpinionSpec(
        "l2b",
        "03-12 14:30",
        MEETING,
        "第一氧化铝厂职工座谈会上提出：厂区主干道照明不足，夜间交通安全隐患大。",
        "yhl1",
        "ludeng",
        contact="郭建华",
        problem="L2",
    ),
    OpinionSpec(
        "l2c",
        "03-19 10:15",
        VISIT,
        "厂领导下基层时职工反映，厂区道路和车间周边灯光昏暗，建议换成节能灯。",
        "yhl1",
        "ludeng",
        contact="白志刚",
        problem="L2",
        merge=True,
    ),
    OpinionSpec(
        "l2d",
        "03-23 03:10",
        QR,
        "溶出车间门口这一片晚上全黑，运料车倒车看不见人。",
        "yhl1-rc",
        "ludeng",
        anonymous=True,
        problem="L2",
        merge=True,
    ),
    OpinionSpec(
        "l3a",
        "03-05 07:40",
        WEB,
        "分解车间周边和厂区北门一带路灯坏了一大片，夜班上下班看不清路。",
        "yhl2",
        "ludeng",
        by="gaojianhua",
        problem="L3",
    ),
    OpinionSpec(
        "l3b",
        "03-11 22:20",
        QR,
        "北门到分解车间的路太黑，还有井盖缺失，晚上很危险。",
        "yhl2",
        "ludeng",
        anonymous=True,
        problem="L3",
        merge=True,
    ),
    OpinionSpec(
        "l3c",
        "03-20 16:00",
        TALK,
        "谈心谈话中班组长提出：厂区照明差，影响夜间巡检和交接班。",
        "yhl2",
        "ludeng",
        contact="王建平",
        problem="L3",
    ),
    OpinionSpec(
        "l4a",
        "03-08 23:40",
        WEB,
        "热电分厂厂区道路路灯大半不亮，汽机车间到煤场一段晚上基本看不见。",
        "rdfc",
        "ludeng",
        by="zhaopengfei",
        problem="L4",
    ),
    OpinionSpec(
        "l4b",
        "03-15 08:00",
        MAILBOX,
        "热电厂区晚上太黑，运煤车进进出出很危险。",
        "rdfc",
        "ludeng",
        anonymous=True,
        problem="L4",
        merge=True,
    ),
    # Stairwells and alleys: still being worked on, overdue.
    OpinionSpec(
        "l5a",
        "04-22 21:40",
        WEB,
        "生活区老楼的楼道灯大都坏了，声控灯不灵，晚上上楼全靠摸黑，老人摔倒好几次了。",
        "shfw",
        "ludeng",
        anonymous=True,
        problem="L5",
    ),
    OpinionSpec(
        "l5b",
        "04-28 19:20",
        HOTLINE,
        "五区28号楼的楼道灯坏了半年了，谁来修？",
        "shfw",
        "ludeng",
        contact="韩玉英",
        problem="L5",
        merge=True,
    ),
    OpinionSpec(
        "l5c",
        "05-06 20:50",
        QR,
        "五区巷子里没有一盏灯。",
        "shfw",
        "ludeng",
        place="shq-5",
        anonymous=True,
        problem="L5",
    ),
    OpinionSpec(
        "l5d",
        "05-09 09:45",
        MEETING,
        "楼道灯到底归谁管？物业说是居民自己的事，希望说清楚，并且修好。",
        "shfw",
        "ludeng",
        contact="侯志明",
        problem="L5",
    ),
    OpinionSpec(
        "l5e",
        "05-14 18:30",
        WEB,
        "一区老楼楼道灯座烧坏了，电线裸露，存在触电隐患。",
        "shfw",
        "ludeng",
        place="shq-1",
        by="duwenbin",
        problem="L5",
    ),
    OpinionSpec(
        "l7a",
        "03-22 10:00",
        WEB,
        "建议把铝城大道的路灯全部换成LED节能灯，又省电又亮。",
        "shfw",
        "ludeng",
        place="lucheng-dadao",
        anonymous=True,
        problem="L7",
    ),
    # Toilets.
    OpinionSpec(
        "w1a",
        "03-04 11:00",
        QR,
        "厂区公厕门坏了关不上，冲水也不行，味道很大。",
        "yhl1",
        "weishengjian",
        anonymous=True,
        problem="W1",
    ),
    OpinionSpec(
        "w1b",
        "03-12 14:45",
        MEETING,
        "厂区卫生间年久失修，有的连灯都没有，夜班职工意见很大。",
        "yhl1",
        "weishengjian",
        contact="郭建华",
        problem="W1",
    ),
    OpinionSpec(
        "w1c",
        "03-18 09:00",
        WEB,
        "溶出车间卫生间没有洗手池，也没有热水，冬天洗手冻得不行。",
        "yhl1-rc",
        "weishengjian",
        anonymous=True,
        problem="W1",
    ),
    OpinionSpec(
        "w1d",
        "03-21 13:10",
        HOTLINE,
        "厂区卫生间太脏，希望安排专人打扫。",
        "yhl1",
        "weishengjian",
        anonymous=True,
        problem="W1",
        merge=True,
    ),
    OpinionSpec(
        "w1e",
        "03-24 12:40",
        WEB,
        "厂区卫生间蹲位隔板全坏了，一点隐私都没有。",
        "yhl1",
        "weishengjian",
        by="chenglei",
        problem="W1",
        merge=True,
    ),
    OpinionSpec(
        "w6a",
        "03-18 16:20",
        WEB,
        "原料车间附近的公厕下水堵了好久，冬天水管冻裂一直没修。",
        "yhl1-yl",
        "weishengjian",
        by="majun",
        problem="W6",
    ),
    OpinionSpec(
        "w6b",
        "03-20 10:05",
        VISIT,
        "走访时卸车岗位职工提到：车间卫生间太少，上个厕所要走很远。",
        "yhl1-yl",
        "weishengjian",
        contact="李建民",
        problem="W6",
    ),
    OpinionSpec(
        "w2a",
        "03-06 12:30",
        WEB,
        "分解车间卫生间常年漏水，地面湿滑，女卫生间的门锁也坏了。",
        "yhl2-fj",
        "weishengjian",
        place="yhl2-fj-wc",
        by="zhangxiaoyan",
        problem="W2",
    ),
    OpinionSpec(
        "w2b",
        "03-11 08:15",
        QR,
        "卫生间水箱坏了，一直在流水。",
        "yhl2-fj",
        "weishengjian",
        place="yhl2-fj-wc",
        anonymous=True,
        problem="W2",
        merge=True,
    ),
    OpinionSpec(
        "w2c",
        "03-19 15:20",
        MEETING,
        "第二氧化铝厂座谈会上职工提出：厂区卫生间设施老化，冬季不供暖。",
        "yhl2",
        "weishengjian",
        contact="孟庆林",
        problem="W2",
    ),
    OpinionSpec(
        "w2d",
        "03-25 17:00",
        WEB,
        "二氧厂区卫生间数量不够，一个班几十人只有一个卫生间。",
        "yhl2",
        "weishengjian",
        by="gaojianhua",
        problem="W2",
    ),
    OpinionSpec(
        "w4a",
        "02-27 10:30",
        HOTLINE,
        "生活区公厕又脏又破，夏天味道熏得人不敢从旁边过。",
        "shfw",
        "weishengjian",
        contact="刘桂芳",
        problem="W4",
    ),
    OpinionSpec(
        "w4b",
        "03-07 15:20",
        VISIT,
        "走访中居民反映：公厕蹲坑损坏，晚上没有照明。",
        "shfw",
        "weishengjian",
        contact="赵晓军",
        problem="W4",
        merge=True,
    ),
    OpinionSpec(
        "w4c",
        "03-12 10:10",
        MEETING,
        "公厕设施不全，没有扶手，老年人和残疾人用起来很不方便。",
        "shfw",
        "weishengjian",
        anonymous=True,
        problem="W4",
    ),
    OpinionSpec(
        "w4d",
        "03-16 08:00",
        MAILBOX,
        "建议公厕全部改成水冲式，安排专人保洁。",
        "shfw",
        "weishengjian",
        anonymous=True,
        problem="W4",
        merge=True,
    ),
    OpinionSpec(
        "w4e",
        "04-12 07:30",
        QR,
        "一区公厕还没修，门都没了。",
        "shfw",
        "weishengjian",
        place="shq-1",
        anonymous=True,
        problem="W4",
    ),
    OpinionSpec(
        "w4f",
        "05-03 16:45",
        WEB,
        "五区公厕修好了，很干净。一区的也请抓紧。",
        "shfw",
        "weishengjian",
        by="liuxiuying",
        problem="W4",
        merge=True,
    ),
    OpinionSpec(
        "w5a",
        "03-09 14:00",
        WEB,
        "办公楼卫生间水龙头、冲水阀坏了很多，三楼女卫生间一直停用。",
        "sxlc-bgs",
        "weishengjian",
        by="fanyumei",
        problem="W5",
    ),
    OpinionSpec(
        "w5b",
        "03-17 08:00",
        MAILBOX,
        "机关卫生间设施老化，来办事的职工都有意见。",
        "sxlc-bgs",
        "weishengjian",
        anonymous=True,
        problem="W5",
        merge=True,
    ),
    OpinionSpec(
        "w7a",
        "03-08 22:10",
        WEB,
        "汽机车间卫生间冬天水管冻裂，到现在还没修好。",
        "rdfc-qj",
        "weishengjian",
        by="zhaopengfei",
        problem="W7",
    ),
    OpinionSpec(
        "w7b",
        "03-15 08:00",
        MAILBOX,
        "热电厂区卫生间太少、太旧，建议整修。",
        "rdfc",
        "weishengjian",
        anonymous=True,
        problem="W7",
        merge=True,
    ),
    OpinionSpec(
        "w7c",
        "03-20 11:30",
        TALK,
        "谈心时女职工提出：厂区女卫生间太少，有的车间根本没有。",
        "rdfc",
        "weishengjian",
        contact="孙红霞",
        problem="W7",
    ),
    OpinionSpec(
        "w8a",
        "06-10 09:20",
        WEB,
        "分公司机关办公楼卫生间设施陈旧，冲水不畅，夏天异味大。",
        "sxfgs-bgs",
        "weishengjian",
        by="yanghui",
        problem="W8",
    ),
    OpinionSpec(
        "w8b",
        "06-18 17:40",
        WEB,
        "运输部车队的卫生间离停车场太远，司机出车回来很不方便，希望整修车队院内的卫生间。",
        "sxfgs-ysb",
        "weishengjian",
        by="duwenbin",
        problem="W8",
    ),
    OpinionSpec(
        "w8c",
        "07-09 15:00",
        MEETING,
        "专题组织生活会上党员提出：分公司机关卫生间问题群众反映多次，应作为立行立改事项。",
        "sxfgs",
        "weishengjian",
        contact="张志强",
        problem="W8",
        merge=True,
    ),
    # Bathhouses.
    OpinionSpec(
        "z1a",
        "02-25 18:30",
        WEB,
        "一氧澡堂热水时有时无，下班洗澡经常洗到一半没热水，冬天很容易感冒。",
        "yhl1",
        "zaotang",
        place="yhl1-zaotang",
        by="wanglijuan",
        problem="Z1",
    ),
    OpinionSpec(
        "z1b",
        "03-04 16:40",
        QR,
        "淋浴喷头坏了一半，下班排队洗不上。",
        "yhl1",
        "zaotang",
        place="yhl1-zaotang",
        anonymous=True,
        problem="Z1",
    ),
    OpinionSpec(
        "z1c",
        "03-12 14:50",
        MEETING,
        "澡堂设施老旧，更衣柜不够用，衣服只能挂在外面。",
        "yhl1",
        "zaotang",
        contact="郭建华",
        problem="Z1",
    ),
    OpinionSpec(
        "z1d",
        "03-21 08:00",
        MAILBOX,
        "澡堂地面太滑，已经有人摔伤，建议铺防滑砖。",
        "yhl1",
        "zaotang",
        anonymous=True,
        problem="Z1",
    ),
    OpinionSpec(
        "z2a",
        "03-05 17:20",
        WEB,
        "二氧澡堂通风不好，冬天雾气大，墙面都发霉了。",
        "yhl2",
        "zaotang",
        by="gaojianhua",
        problem="Z2",
    ),
    OpinionSpec(
        "z2b",
        "03-11 21:00",
        HOTLINE,
        "澡堂开放时间太短，倒班职工下了夜班洗不上澡。",
        "yhl2",
        "zaotang",
        anonymous=True,
        problem="Z2",
    ),
    OpinionSpec(
        "z3a",
        "05-08 17:50",
        WEB,
        "热电分厂澡堂的淋浴头一半不出水，更衣室屋顶漏雨。",
        "rdfc",
        "zaotang",
        by="zhaopengfei",
        problem="Z3",
    ),
    OpinionSpec(
        "z3b",
        "05-15 14:00",
        MEETING,
        "女澡堂只有四个喷头，交接班时要排长队。",
        "rdfc",
        "zaotang",
        contact="孙红霞",
        problem="Z3",
    ),
    OpinionSpec(
        "z4a",
        "03-02 10:00",
        HOTLINE,
        "一区浴池锅炉老化，水温忽高忽低，退休老人洗澡不安全。",
        "shfw",
        "zaotang",
        contact="韩玉英",
        problem="Z4",
    ),
    OpinionSpec(
        "z4b",
        "03-18 09:40",
        MEETING,
        "浴池收费标准不公开，希望公示价格和开放时间。",
        "shfw",
        "zaotang",
        contact="侯志明",
        problem="Z4",
    ),
    # Parking.
    OpinionSpec(
        "p1a",
        "02-26 21:15",
        WEB,
        "生活区车越来越多，晚上回来没地方停，只能停在消防通道上。",
        "shfw",
        "tingchewei",
        anonymous=True,
        problem="P1",
    ),
    OpinionSpec(
        "p1b",
        "03-03 20:00",
        HOTLINE,
        "楼下乱停车，上次救护车都开不进来。",
        "shfw",
        "tingchewei",
        contact="高玉梅",
        problem="P1",
        merge=True,
    ),
    OpinionSpec(
        "p1c",
        "03-07 15:40",
        VISIT,
        "走访时居民反映：生活区停车难、乱停车问题突出，邻里之间经常为停车吵架。",
        "shfw",
        "tingchewei",
        contact="刘桂芳",
        problem="P1",
    ),
    OpinionSpec(
        "p1d",
        "03-10 12:10",
        WEB,
        "建议利用生活区边角空地规划停车位，划线管理，先到先停。",
        "shfw",
        "tingchewei",
        by="duwenbin",
        problem="P1",
    ),
    OpinionSpec(
        "p1e",
        "03-12 10:30",
        MEETING,
        "居民座谈会上大家提出，停车问题要统一规划，不能各楼自己圈地。",
        "shfw",
        "tingchewei",
        contact="赵晓军",
        problem="P1",
        merge=True,
    ),
    OpinionSpec(
        "p1f",
        "03-17 08:20",
        QR,
        "铝城大道两侧乱停车，公交车都过不去。",
        "shfw",
        "tingchewei",
        place="lucheng-dadao",
        anonymous=True,
        problem="P1",
    ),
    OpinionSpec(
        "p1g",
        "03-26 08:00",
        MAILBOX,
        "停车位能不能按楼分配？希望不要收费。",
        "shfw",
        "tingchewei",
        anonymous=True,
        problem="P1",
    ),
    OpinionSpec(
        "p1h",
        "04-15 18:20",
        WEB,
        "三区门口也需要规划停车位，现在车都停在人行道上。",
        "shfw",
        "tingchewei",
        place="shq-3",
        by="wanglijuan",
        problem="P1",
    ),
    OpinionSpec(
        "p1i",
        "05-21 19:30",
        HOTLINE,
        "五区停车位什么时候划？",
        "shfw",
        "tingchewei",
        anonymous=True,
        problem="P1",
        merge=True,
    ),
    OpinionSpec(
        "p1j",
        "06-02 20:10",
        QR,
        "一区新划的停车位很好，就是晚上没有照明。",
        "shfw",
        "tingchewei",
        place="shq-1",
        anonymous=True,
        problem="P1",
        merge=True,
    ),
    OpinionSpec(
        "p2a",
        "06-05 08:10",
        WEB,
        "办公楼前停车秩序混乱，外来车辆随意停放，职工上班找不到车位。",
        "sxlc-bgs",
        "tingchewei",
        place="bangonglou",
        by="fanyumei",
        problem="P2",
    ),
    OpinionSpec(
        "p2b",
        "07-10 15:30",
        MEETING,
        "专题组织生活会上提出：机关干部车辆占用职工停车位，群众有意见。",
        "sxlc-bgs",
        "tingchewei",
        contact="李卫东",
        problem="P2",
    ),
    OpinionSpec(
        "p2c",
        "07-21 10:00",
        SUPERVISION,
        "督导组检查发现，办公楼前及厂区大门口停车无规划，车辆混停，存在安全隐患，建议统一规划。",
        "sxlc-bgs",
        "tingchewei",
        by="wangzhiqiang",
        problem="P2",
    ),
    # Fitness equipment.
    OpinionSpec(
        "f1a",
        "03-03 07:10",
        WEB,
        "生活区健身器材太少，现有的几件也坏了，早上锻炼要排队。",
        "shfw",
        "jianshen",
        anonymous=True,
        problem="F1",
    ),
    OpinionSpec(
        "f1b",
        "03-12 10:40",
        MEETING,
        "建议在健身广场增加健身器材和乒乓球台。",
        "shfw",
        "jianshen",
        contact="赵晓军",
        problem="F1",
        merge=True,
    ),
    OpinionSpec(
        "f1c",
        "03-18 16:00",
        HOTLINE,
        "老年人需要适合的健身器材，现在的器材太简单了。",
        "shfw",
        "jianshen",
        contact="刘桂芳",
        problem="F1",
    ),
    OpinionSpec(
        "f1d",
        "03-26 06:50",
        QR,
        "单杠断了一根，很危险，请尽快处理。",
        "shfw",
        "jianshen",
        place="jianshen-guangchang",
        anonymous=True,
        problem="F1",
    ),
    OpinionSpec(
        "f2a",
        "04-10 12:00",
        WEB,
        "二氧职工活动室只有一张乒乓球台，希望配置健身器材，倒班职工下了班也能锻炼。",
        "yhl2",
        "jianshen",
        by="zhangxiaoyan",
        problem="F2",
    ),
    OpinionSpec(
        "f2b",
        "04-20 15:00",
        TALK,
        "青年职工谈心时希望活动室增加器材，开展些文体活动。",
        "yhl2",
        "jianshen",
        contact="孟庆林",
        problem="F2",
    ),
    # Roads.
    OpinionSpec(
        "d1a",
        "02-28 19:00",
        WEB,
        "铝城大道路面坑坑洼洼，下雨全是积水，骑车的人天天溅一身泥。",
        "shfw",
        "daolu",
        place="lucheng-dadao",
        anonymous=True,
        problem="D1",
    ),
    OpinionSpec(
        "d1b",
        "03-07 16:00",
        VISIT,
        "走访中居民反映：府西街、铝城大道路面破损，绿化带里堆满垃圾。",
        "shfw",
        "daolu",
        contact="刘桂芳",
        problem="D1",
    ),
    OpinionSpec(
        "d1c",
        "03-12 10:50",
        MEETING,
        "主干道两侧树木缺株断行，建议补植行道树，把铝城绿起来。",
        "shfw",
        "daolu",
        contact="赵晓军",
        problem="D1",
    ),
    OpinionSpec(
        "d1d",
        "03-19 22:30",
        HOTLINE,
        "南环路上有个大坑没人管，晚上骑车掉进去了。",
        "shfw",
        "daolu",
        anonymous=True,
        problem="D1",
    ),
    OpinionSpec(
        "d2a",
        "03-12 15:00",
        MEETING,
        "东环路第一氧化铝厂段路面破损严重，大车碾压坑洼多。",
        "yhl1",
        "daolu",
        contact="白志刚",
        problem="D2",
    ),
    OpinionSpec(
        "d2b",
        "03-20 07:30",
        WEB,
        "上下班走东环路，路面坑太多，建议修一下。",
        "yhl1",
        "daolu",
        by="chenglei",
        problem="D2",
        merge=True,
    ),
    OpinionSpec(
        "d3a",
        "07-08 20:00",
        WEB,
        "五区巷道一下雨就积水，排水管堵了，老人出不了门。",
        "shfw",
        "daolu",
        place="shq-5",
        by="liuxiuying",
        problem="D3",
    ),
    OpinionSpec(
        "d3b",
        "07-16 09:30",
        HOTLINE,
        "五区巷道下水道返水，味道很大。",
        "shfw",
        "daolu",
        place="shq-5",
        contact="韩玉英",
        problem="D3",
    ),
    # Greening and illegal structures.
    OpinionSpec(
        "lh1a",
        "03-14 11:30",
        WEB,
        "生活区绿地多年没有补植，黄土裸露，一刮风满天土，建议补种树木花草。",
        "shfw",
        "lvhua",
        by="lichunsheng",
        problem="LH1",
    ),
    OpinionSpec(
        "lh1b",
        "03-22 08:00",
        MAILBOX,
        "铝城公园的树死了不少，希望补种，公园要有人管护。",
        "shfw",
        "lvhua",
        anonymous=True,
        problem="LH1",
    ),
    OpinionSpec(
        "ld1a",
        "03-06 08:00",
        MAILBOX,
        "生活区楼下私搭乱建的小房子越来越多，占了公共绿地和通道。",
        "shfw",
        "luandajian",
        anonymous=True,
        problem="LD1",
    ),
    OpinionSpec(
        "ld1b",
        "03-12 11:00",
        MEETING,
        "建议拆除乱搭乱建，腾出地方做停车位和绿地。",
        "shfw",
        "luandajian",
        contact="侯志明",
        problem="LD1",
    ),
    OpinionSpec(
        "ld1c",
        "03-15 20:40",
        HOTLINE,
        "四区有人在楼前盖小房出租，物业也不管。",
        "shfw",
        "luandajian",
        anonymous=True,
        problem="LD1",
    ),
    # Winter clothes of 分解车间 (in progress).
    OpinionSpec(
        "lb2a",
        "09-15 12:30",
        WEB,
        "分解车间的防寒服已经穿了五六年，破旧不保暖，希望入冬前更换。",
        "yhl2-fj",
        "laobao",
        by="gaojianhua",
        problem="LB2",
    ),
    OpinionSpec(
        "lb2b",
        "09-22 15:00",
        TALK,
        "班组长谈话时反映：防寒服尺码不全，女工没有合适的。",
        "yhl2-fj",
        "laobao",
        contact="孟庆林",
        problem="LB2",
    ),
    # Canteen.
    OpinionSpec(
        "st1a",
        "04-16 12:40",
        WEB,
        "职工一食堂饭菜品种少、价格偏高，中午排队时间长。",
        "shfw",
        "shitang",
        place="shitang-1",
        by="fanyumei",
        problem="ST1",
    ),
    OpinionSpec(
        "st1b",
        "05-08 08:00",
        MAILBOX,
        "食堂卫生差，餐具消毒不到位。",
        "shfw",
        "shitang",
        anonymous=True,
        problem="ST1",
    ),
    OpinionSpec(
        "st1c",
        "05-14 12:20",
        QR,
        "窗口太少，排队二十分钟才打上饭。",
        "shfw",
        "shitang",
        place="shitang-1",
        anonymous=True,
        problem="ST1",
        merge=True,
    ),
    OpinionSpec(
        "st1d",
        "07-09 16:10",
        MEETING,
        "食堂饭菜价格能不能公示，接受职工监督？",
        "shfw",
        "shitang",
        contact="李卫东",
        problem="ST1",
    ),
    # Meetings and documents (长期坚持).
    OpinionSpec(
        "hf1",
        "03-11 14:30",
        MEETING,
        "中层干部座谈会上提出：会议太多太长，一周有一半时间在开会，没时间下基层。",
        "sxlc",
        "huifeng",
        contact="程志远",
        problem="HF",
    ),
    OpinionSpec(
        "hf2",
        "03-17 08:00",
        MAILBOX,
        "文件简报太多，很多是上传下达照转，基层根本看不过来。",
        "sxlc",
        "huifeng",
        anonymous=True,
        problem="HF",
    ),
    OpinionSpec(
        "hf3",
        "03-24 16:00",
        SUPERVISION,
        "督导组调研发现：部分单位以会议落实会议、以文件落实文件，会风文风问题突出，应精简、合并各类会议。",
        "sxlc",
        "huifeng",
        by="yangzhaohui",
        problem="HF",
    ),
    OpinionSpec(
        "hf4",
        "04-02 21:00",
        WEB,
        "能合并的会议合并开，能不开的会坚决不开，能开短会的不开长会。",
        "sxlc",
        "huifeng",
        anonymous=True,
        problem="HF",
        merge=True,
    ),
    OpinionSpec(
        "hf5",
        "07-15 10:30",
        MEETING,
        "专题民主生活会上提出：改进会风文风要建立长效机制，防止活动一结束就反弹。",
        "sxlc",
        "huifeng",
        contact="程志远",
        problem="HF",
    ),
    # News and publicity.
    OpinionSpec(
        "xc1a",
        "03-13 20:30",
        WEB,
        "企业报纸和电视台的领导活动、会议报道太多，一线职工的事很少报，希望多报道基层。",
        "sxlc-xcb",
        "xuanchuan",
        by="songjie",
        problem="XC1",
    ),
    OpinionSpec(
        "xc1b",
        "03-19 08:00",
        MAILBOX,
        "电视台新闻全是开会、讲话，职工都不爱看。",
        "sxlc-xcb",
        "xuanchuan",
        anonymous=True,
        problem="XC1",
        merge=True,
    ),
    OpinionSpec(
        "xc1c",
        "03-24 16:30",
        SUPERVISION,
        "督导组建议：改进新闻宣传方式，压缩会议和领导活动报道，增加一线职工报道。",
        "sxlc-xcb",
        "xuanchuan",
        by="wangzhiqiang",
        problem="XC1",
    ),
    # Official cars, receptions, training, banquets.
    OpinionSpec(
        "gc1a",
        "03-10 08:00",
        MAILBOX,
        "有的公车节假日还停在饭店门口，公车私用要管一管。",
        "sxfgs",
        "gongche",
        anonymous=True,
        problem="GC1",
    ),
    OpinionSpec(
        "gc1b",
        "03-24 15:00",
        SUPERVISION,
        "督导组检查公务用车台账，发现部分车辆无派车单、油耗偏高，建议统一调度、严格管理。",
        "sxfgs",
        "gongche",
        by="yangzhaohui",
        problem="GC1",
    ),
    OpinionSpec(
        "gc1c",
        "04-03 19:40",
        HOTLINE,
        "公车太多，管理太松，建议压减。",
        "sxfgs",
        "gongche",
        anonymous=True,
        problem="GC1",
        merge=True,
    ),
    OpinionSpec(
        "jd1a",
        "03-21 08:00",
        MAILBOX,
        "接待标准太高，来个人就上饭店，一桌好几千。",
        "sxlc",
        "jiedai",
        anonymous=True,
        problem="JD1",
    ),
    OpinionSpec(
        "jd1b",
        "04-02 10:30",
        SUPERVISION,
        "督导组建议：严格执行公务接待标准，实行公函接待和接待清单制度。",
        "sxlc",
        "jiedai",
        by="wangzhiqiang",
        problem="JD1",
    ),
    OpinionSpec(
        "px1a",
        "04-05 20:20",
        WEB,
        "外出培训名目多，有的培训就是变相旅游，建议多搞内部培训。",
        "sxlc",
        "peixun",
        anonymous=True,
        problem="PX1",
    ),
    OpinionSpec(
        "px1b",
        "04-09 10:00",
        TALK,
        "中层干部谈心时提出：外出培训要严格审批，讲求实效。",
        "sxlc",
        "peixun",
        contact="程志远",
        problem="PX1",
    ),
    OpinionSpec(
        "lj1a",
        "03-16 08:00",
        MAILBOX,
        "有的干部家里办婚事摆几十桌，下属单位都去随礼，影响很坏。",
        "sxlc",
        "lianjie",
        anonymous=True,
        problem="LJ1",
    ),
    OpinionSpec(
        "lj1b",
        "03-28 21:30",
        HOTLINE,
        "节前有人用公款吃喝，换个名目报销。",
        "sxlc",
        "lianjie",
        anonymous=True,
        problem="LJ1",
    ),
    OpinionSpec(
        "lj1c",
        "04-02 11:00",
        SUPERVISION,
        "督导组建议：开展公款吃喝和婚丧嫁娶大操大办专项治理。",
        "sxlc",
        "lianjie",
        by="yangzhaohui",
        problem="LJ1",
    ),
    # Working style.
    OpinionSpec(
        "gz1a",
        "03-12 15:20",
        MEETING,
        "企业领导干部要多深入基层，服务群众，多办实事。",
        "sxlc",
        "zuofeng",
        contact="郭建华",
        problem="GZ1",
    ),
    OpinionSpec(
        "gz1b",
        "03-20 10:30",
        VISIT,
        "领导来车间要多听听一线的意见，别只看材料、只听汇报。",
        "yhl1-yl",
        "zuofeng",
        contact="李建民",
        problem="GZ1",
    ),
    OpinionSpec(
        "gz2a",
        "03-12 15:30",
        MEETING,
        "企业领导干部要对标先进，进一步提高工作效率。",
        "sxlc",
        "zuofeng",
        contact="白志刚",
        problem="GZ2",
    ),
    OpinionSpec(
        "gz2b",
        "04-18 12:00",
        WEB,
        "到机关办事要跑好几个部门、盖好几个章，建议简化流程。",
        "sxlc",
        "zuofeng",
        anonymous=True,
        problem="GZ2",
    ),
    OpinionSpec(
        "gz2c",
        "07-25 19:00",
        HOTLINE,
        "报销流程太慢，一张票要签五六个字。",
        "sxlc",
        "zuofeng",
        anonymous=True,
        problem="GZ2",
    ),
    # Shuttle bus: returned by the wrong unit, reassigned, done.
    OpinionSpec(
        "r1a",
        "04-03 07:50",
        WEB,
        "通勤班车发车时间和倒班时间对不上，下夜班要在厂门口等四十分钟。",
        "yhl1",
        "qita",
        by="majun",
        problem="R1",
    ),
    OpinionSpec(
        "r1b",
        "04-10 18:00",
        HOTLINE,
        "班车线路不经过新建的五区，住五区的职工上班很不方便。",
        "yhl1",
        "qita",
        contact="李建民",
        problem="R1",
    ),
    # Market: returned, waiting to be reassigned.
    OpinionSpec(
        "r2a",
        "09-20 08:40",
        HOTLINE,
        "生活区集贸市场占道经营，垃圾乱倒，早上车都过不去。",
        "shfw",
        "qita",
        contact="高玉梅",
        problem="R2",
    ),
    OpinionSpec(
        "r2b",
        "10-08 07:20",
        QR,
        "菜市场门口天天堵，垃圾没人清。",
        "shfw",
        "qita",
        place="lucheng-dadao",
        anonymous=True,
        problem="R2",
    ),
    OpinionSpec(
        "c2a",
        "03-09 19:30",
        WEB,
        "子弟学校操场跑道破损，孩子上体育课容易受伤。",
        "shfw",
        "qita",
        anonymous=True,
        problem="C2",
    ),
    # Listed, not started yet.
    OpinionSpec(
        "o1a",
        "10-09 13:10",
        WEB,
        "溶出车间岗位饮水机老化，水有异味，希望更换净水设备。",
        "yhl1-rc",
        "gongshui",
        by="wanglijuan",
        problem="O1",
    ),
    OpinionSpec(
        "o1b",
        "10-14 10:30",
        TALK,
        "谈心时职工说，岗位上喝水还得自己从家里带。",
        "yhl1-rc",
        "gongshui",
        contact="白志刚",
        problem="O1",
    ),
    OpinionSpec(
        "o2a",
        "07-18 14:20",
        WEB,
        "汽机车间值班室空调坏了，夏天室温四十度，值班人员受不了。",
        "rdfc-qj",
        "qita",
        by="zhaopengfei",
        problem="O2",
    ),
    OpinionSpec(
        "o2b",
        "07-22 15:00",
        QR,
        "值班室太热，设备也怕热。",
        "rdfc-qj",
        "qita",
        anonymous=True,
        problem="O2",
        merge=True,
    ),
    # Answered: explained, nothing to fix.
    OpinionSpec(
        "a1",
        "02-28 09:10",
        HOTLINE,
        "五区暖气今年为什么不热？家里才十五六度。",
        "shfw",
        contact="韩玉英",
        answer="经查，五区供热管网末端压力不足，供热站已于3月2日完成调压，入户测温已达18℃以上。"
        "问题已当即解决，不再列入整改台账。",
        handled_days=2,
    ),
    OpinionSpec(
        "a2",
        "03-06 12:00",
        WEB,
        "学习体会必须手写吗？能不能用电脑打印？",
        "sxlc",
        anonymous=True,
        answer="学习体会提倡手写；确有困难的可以打印，但须本人撰写、本人签字，重在真学、真懂、真信、真用。",
    ),
    OpinionSpec(
        "a3",
        "03-09 20:00",
        WEB,
        "电影《焦裕禄》错过了，还能看吗？",
        "sxlc-xcb",
        by="wanglijuan",
        answer="企业电视台每周三、周六晚8点重播《焦裕禄》和专题片《周生：焦裕禄式的好干部》，"
        "各单位也可到党委宣传部借阅光盘。",
    ),
    OpinionSpec(
        "a4",
        "03-14 12:30",
        WEB,
        "问题清单和整改台账能不能公开？我们想知道提的意见落实得怎么样。",
        "sxlc",
        by="chenglei",
        answer="问题清单和整改台账已在厂务公开栏和内网公布，每月更新进度；凭回执编码也可随时查询本人所提意见的办理情况。",
    ),
    OpinionSpec(
        "a5",
        "03-20 15:30",
        HOTLINE,
        "退休职工能不能提意见？",
        "shfw",
        contact="刘桂芳",
        answer="可以。退休职工可以通过活动办公室热线、意见箱，或到生活服务中心当面反映，意见同样登记办理。",
        handled_days=1,
    ),
    OpinionSpec(
        "a6",
        "04-11 08:00",
        MAILBOX,
        "今年的工资调整什么时候公布？",
        "sxlc",
        anonymous=True,
        answer="工资调整按中铝公司统一部署执行，方案确定后将提交职代会审议并公示。",
    ),
    OpinionSpec(
        "a7",
        "05-12 16:00",
        WEB,
        "倒班职工的集中学习时间怎么安排？",
        "yhl2",
        by="gaojianhua",
        answer="第二氧化铝厂按班组分批组织学习，倒班职工可参加对应班次的集中学习，或观看录像补课。",
    ),
    OpinionSpec(
        "a8",
        "06-03 19:40",
        HOTLINE,
        "生活区有线电视信号差，是不是企业管？",
        "shfw",
        anonymous=True,
        answer="有线电视已由地方广电网络公司运营，您的意见已转交该公司，客服电话已在生活区公告栏公布。",
    ),
    OpinionSpec(
        "a9",
        "08-12 10:20",
        WEB,
        "公车改革以后，职工因公办事用车怎么办？",
        "sxfgs",
        by="duwenbin",
        answer="因公用车由运输部统一调度，各部门通过派车单提出申请即可，急事可电话预约。",
    ),
    OpinionSpec(
        "a10",
        "09-03 16:00",
        MEETING,
        "专题组织生活会查摆出来的问题，整改情况能不能向群众通报？",
        "sxlc",
        contact="李卫东",
        answer="各单位整改落实情况将于10月底前通过厂务公开栏、职工大会等形式向群众通报，接受监督。",
    ),
    # Declined, with the reason the submitter reads.
    OpinionSpec(
        "n_1",
        "03-05 08:00",
        MAILBOX,
        "建议给每位职工发放购物卡作为福利。",
        "sxlc",
        anonymous=True,
        decline="违反中央八项规定精神和企业薪酬福利管理规定，不予采纳。",
    ),
    OpinionSpec(
        "n_2",
        "03-15 21:00",
        WEB,
        "在生活区建一个室内游泳馆。",
        "shfw",
        anonymous=True,
        decline="投资大，不符合当前压减费用的要求，暂不具备实施条件；已纳入生活区远期规划研究。",
    ),
    OpinionSpec(
        "n_3",
        "03-22 11:00",
        HOTLINE,
        "节日慰问品能不能恢复发放？",
        "sxlc",
        anonymous=True,
        decline="按照中央八项规定和上级要求，节日期间不得用公款发放慰问品；困难职工帮扶照常进行。",
    ),
    OpinionSpec(
        "n_4",
        "04-20 20:30",
        WEB,
        "建议年底组织全体职工外出旅游。",
        "sxlc",
        anonymous=True,
        decline="不符合费用管控要求，不予采纳。鼓励各单位组织就近、节俭的文体活动。",
    ),
    OpinionSpec(
        "n_5",
        "05-16 13:00",
        QR,
        "建议开放厂区沉淀池，下班后可以钓鱼。",
        "yhl1",
        anonymous=True,
        decline="厂区沉淀池属生产危险区域，严禁垂钓，不予采纳。",
    ),
    OpinionSpec(
        "n_6",
        "06-09 21:15",
        HOTLINE,
        "邻居装修噪音太大，请企业出面管管。",
        "shfw",
        contact="侯志明",
        decline="属于邻里纠纷，不在企业整改范围，建议向铝城社区居委会反映，物业可协助调解。",
        handled_days=1,
    ),
    OpinionSpec(
        "n_7",
        "07-14 09:00",
        WEB,
        "分公司应该给每个部门配一辆车，办事方便。",
        "sxfgs",
        anonymous=True,
        decline="与公车改革和压减公车费用的要求相悖，不予采纳。因公用车请向运输部申请统一调度。",
    ),
    OpinionSpec(
        "n_8",
        "09-12 08:00",
        MAILBOX,
        "要求按原标准报销私车公用的油费。",
        "sxlc",
        anonymous=True,
        decline="私车公用按新的交通补贴办法执行，原报销方式已取消，不予恢复。",
    ),
    # Withdrawn by its submitter.
    OpinionSpec(
        "wd1",
        "04-02 12:10",
        WEB,
        "分解车间班组活动室的电视坏了，好几个月没人修。",
        "yhl2-fj",
        by="zhangxiaoyan",
        withdraw=True,
        handled_days=1,
    ),
    # Still new on the triage desk, the week of the article.
    OpinionSpec(
        "new1",
        "10-23 12:30",
        WEB,
        "13号大圆仓的水管入冬前要做好防冻，去年别的管子冻裂过。",
        "yhl1-yl",
        "gongshui",
        place="yl-13-yuancang",
        by="majun",
    ),
    OpinionSpec(
        "new2",
        "10-24 20:10",
        QR,
        "五区楼道灯修好以后，有几处声控开关不灵。",
        "shfw",
        "ludeng",
        place="shq-5",
        anonymous=True,
    ),
    OpinionSpec(
        "new3",
        "10-25 09:30",
        HOTLINE,
        "生活区暖气什么时候试水？希望提前检修管网，别像去年那样不热。",
        "shfw",
        contact="韩玉英",
    ),
    OpinionSpec(
        "new4",
        "10-26 08:00",
        MAILBOX,
        "活动结束以后希望整改不要停，意见箱继续保留。",
        "sxlc",
        anonymous=True,
    ),
    OpinionSpec(
        "new5",
        "10-26 17:40",
        WEB,
        "锅炉二车间新改造的更衣室很好，希望再添几台烘干机，工作服干得快。",
        "rdfc-gl2",
        "laobao",
        place="gl2-gengyishi",
        by="songjie",
    ),
)


# --- the ledger ------------------------------------------------------------------------------------------

PROBLEMS: tuple[ProblemSpec, ...] = (
    ProblemSpec(
        "G1",
        "13号大圆仓岗位吃水用水难",
        "gongshui",
        "yhl1-yl",
        "03-28 14:00",
        "06-30",
        "yuanweiping",
        "houtongyi",
        "13号大圆仓离地面40米以上，离车间水源较远，20多年来员工用水吃水都不方便。",
        "从车间泵房引水，沿仓体外侧敷设供水管道至仓顶岗位，加装增压泵，做好冬季保温。",
        priority=3,
        steps=(
            Start("04-02", "houtongyi", "车间组织勘测，确定从泵房取水，管线沿仓体外侧敷设。"),
            Progress("04-25", "houtongyi", "管材、增压泵已到货，利用检修间隙分段施工。", photo=True),
            Progress("05-20", "houtongyi", "已敷设水管50余米，仓顶支架安装完毕。"),
            Support("05-22", "majun"),
            AskCloseout(
                "06-10",
                "houtongyi",
                "车间克服距离远、地势高等困难，安装了70多米长的水管，从车间泵房引水至13号大圆仓仓顶"
                "（离地面40米以上），加装增压泵和保温层，员工吃水用水用泵一打就有。",
                photos=2,
            ),
            Sign("06-11", "yuanweiping", "经现场查看，仓顶供水正常，同意申请销号。"),
            Rate(
                "06-12 09:00",
                "g1a",
                OK,
                "现在员工吃水用水用泵一打就有了，很方便。教育实践活动就是给员工群众办实事，办真事。",
            ),
            Rate("06-12 15:00", "g1b", OK),
            Rate("06-13", "g1d", OK, "二十多年的老问题解决了。"),
            Verify("06-16", "yangzhaohui", "督导组现场验收：仓顶供水正常，水压满足要求。"),
            LookBack("09-18", "yangzhaohui", True, "回头看：水泵运行正常，冬季保温措施已落实。"),
        ),
    ),
    ProblemSpec(
        "LB1",
        "锅炉二车间工作服配备不足",
        "laobao",
        "rdfc-gl2",
        "03-24 10:00",
        "05-31",
        "zhaoweidong",
        "liuhaijun",
        "锅炉岗位粉尘大、出汗多，每人每年两套工作服换洗不过来；女工工作服尺码不全，质量差。",
        "分厂追加劳保费用，增加工作服配备数量，女工量体订制，更换供应商。",
        steps=(
            Start("03-28", "liuhaijun", "统计全车间工作服需求和尺码。"),
            Progress(
                "04-20", "liuhaijun", "分厂追加劳保费用，工作服由每人每年两套增加到四套，女工量体订制。"
            ),
            AskCloseout(
                "05-15",
                "liuhaijun",
                "分厂为全车间职工多配备了工作服，每人由两套增加到四套，女工单独量体订制，并更换了供应商。",
            ),
            Sign("05-16", "zhaoweidong"),
            Rate("05-17", "lb1a", OK, "分厂为我们多配备了工作服，干活舒心多了。"),
            Rate("05-18", "lb1c", BASIC, "数量够了，质量还要再看看。"),
            Verify("05-21", "yangzhaohui", "抽查发放记录和职工签收单，工作服已足额发放。"),
        ),
    ),
    ProblemSpec(
        "W3",
        "锅炉二车间更衣室、卫生间彻底改造",
        "weishengjian",
        "rdfc-gl2",
        "03-24 10:30",
        "06-30",
        "zhaoweidong",
        "liuhaijun",
        "更衣室墙皮脱落、更衣柜锈坏、面积小、通风差；卫生间下水堵、水箱漏水、冬季无暖气。",
        "分厂投入资金，对车间更衣室、卫生间进行彻底改造。",
        target=2,
        steps=(
            Start("04-01", "liuhaijun", "施工方案经分厂审定，改造期间设临时更衣点。"),
            Progress(
                "05-10", "liuhaijun", "更衣室拆除旧柜，重新铺设地砖、吊顶，增设通风换气扇。", photo=True
            ),
            AskCloseout(
                "06-18",
                "liuhaijun",
                "分厂投入资金对车间更衣室、卫生间进行了彻底改造：更衣室扩建，更换更衣柜86个，增设通风和暖气；"
                "男女卫生间各1间全部翻新，更换洁具和上下水管道。",
                done=2,
                photos=2,
            ),
            Sign("06-19", "zhaoweidong"),
            Rate("06-20 09:00", "w3a", OK, "在这样舒适的环境下工作，我们的干劲更足了。"),
            Rate("06-20 16:00", "w3c", OK),
            Rate("06-21", "w3b", BASIC, "改得不错，就是更衣柜还可以再多几个。"),
            Verify("06-24", "wangzhiqiang", "现场验收合格。"),
        ),
    ),
    ProblemSpec(
        "L1",
        "生活区主干道路灯大面积不亮",
        "ludeng",
        "shfw",
        "03-20 15:00",
        "06-30",
        "chenjunhong",
        "libaocheng",
        "铝城大道及生活一区至五区主干道路灯损坏多，灯头脱落、线路老化，夜间出行不安全。",
        "成立路灯维修小组，分片排查，更换灯头、镇流器和老化线路，加装光控时控开关，落实日常巡检。",
        target=260,
        priority=3,
        steps=(
            Start("03-24", "libaocheng", "成立路灯维修小组，分片排查登记。"),
            Progress("04-18", "libaocheng", "完成铝城大道、一区主干道路灯修复，更换老化线路2.3公里。", 96),
            Support("04-20", "wanglijuan"),
            Support("04-21", "duwenbin"),
            Progress("05-22", "libaocheng", "二区、四区主干道路灯修复完毕。", 188, photo=True),
            AskCloseout(
                "06-18",
                "libaocheng",
                "生活区主干道共修复路灯260盏，更换灯头、镇流器和老化线路，安装光控时控开关，建立巡检制度。",
                done=260,
                photos=2,
            ),
            Sign("06-19", "chenjunhong", "已逐区夜查，同意销号。"),
            Rate("06-20 08:30", "l1f", OK, "灯亮了，早晚清扫也方便了。"),
            Rate("06-20 20:00", "l1a", OK, "现在晚上回家亮堂堂的。"),
            Rate("06-21 09:00", "l1b", OK),
            Rate("06-21 22:00", "l1h", OK, "下中班回家不害怕了。"),
            Rate("06-22", "l1l", BASIC, "二区里面个别灯还有点暗。"),
            Verify("06-24", "yangzhaohui", "督导组夜间抽查，主干道路灯亮灯率达到98%以上。"),
            LookBack(
                "09-25", "yangzhaohui", True, "回头看：抽查铝城大道及一至五区主干道路灯，亮灯率98%以上。"
            ),
        ),
    ),
    ProblemSpec(
        "L6",
        "生活三区院内路灯不亮",
        "ludeng",
        "shfw",
        "03-26 10:00",
        "06-30",
        "chenjunhong",
        "wanghongmei",
        "三区院内路灯长期不亮，线路老化，修了又坏。",
        "修复三区院内路灯，排查线路。",
        target=48,
        steps=(
            Start("04-01", "wanghongmei"),
            Progress("05-15", "wanghongmei", "已修复30盏。", 30),
            AskCloseout("06-25", "wanghongmei", "三区院内路灯48盏全部修复。", done=48),
            Sign("06-26", "chenjunhong"),
            Rate("06-27", "l6c", BASIC, "先亮了，就怕线路不行。"),
            Verify("07-02", "yangzhaohui"),
            LookBack(
                "09-10",
                "yangzhaohui",
                False,
                "回头看发现三区院内12盏路灯又不亮：地埋线路老化未更换，整改不彻底，重新打开整改。",
            ),
            Progress("09-18", "wanghongmei", "更换三区院内地埋电缆1.1公里，加装漏电保护。", photo=True),
            AskCloseout(
                "09-28",
                "wanghongmei",
                "彻底更换老化地埋线路，三区院内48盏路灯全部恢复正常，并加装漏电保护和时控开关。",
                photos=2,
            ),
            Sign("09-29", "chenjunhong"),
            Rate("09-30 09:00", "l6c", OK, "这次线路全换了，灯一直亮着。"),
            Rate("09-30 20:00", "l6b", OK),
            Verify("10-08", "yangzhaohui", "复查合格，予以销号。"),
        ),
    ),
    ProblemSpec(
        "L2",
        "第一氧化铝厂厂区主干道照明不足",
        "ludeng",
        "yhl1",
        "03-26 14:00",
        "06-15",
        "yuanweiping",
        "niujianjun",
        "厂区东西主干道及溶出车间周边路灯不亮，夜间巡检和车辆通行存在安全隐患。",
        "修复厂区主干道及车间周边路灯，更换为节能灯具。",
        target=86,
        steps=(
            Start("03-31", "niujianjun"),
            Progress("05-06", "niujianjun", "东西主干道路灯修复完毕。", 50),
            AskCloseout(
                "06-05", "niujianjun", "修复厂区主干道及车间周边路灯86盏，全部更换为节能灯具。", done=86
            ),
            Sign("06-06", "yuanweiping"),
            Rate("06-07", "l2a", OK, "夜班巡检不用打手电了。"),
            Verify("06-10", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "L3",
        "第二氧化铝厂厂区及分解车间周边照明差",
        "ludeng",
        "yhl2",
        "03-27 10:00",
        "06-30",
        "liqinghong",
        "hezhiming",
        "分解车间周边和厂区北门一带路灯大面积损坏，井盖缺失。",
        "修复厂区路灯，补齐井盖。",
        target=74,
        steps=(
            Start("04-02", "hezhiming"),
            Progress("05-12", "hezhiming", "北门一带路灯修复，补齐井盖6个。", 40),
            AskCloseout("06-12", "hezhiming", "修复厂区及分解车间周边路灯74盏，补齐缺失井盖。", done=74),
            Sign("06-13", "liqinghong"),
            Rate("06-14", "l3a", OK, "夜班路亮了。"),
            Verify("06-18", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "L4",
        "热电分厂厂区道路路灯不亮",
        "ludeng",
        "rdfc",
        "03-27 14:00",
        "06-30",
        "zhaoweidong",
        "baiyunfei",
        "汽机车间至煤场一段路灯大半不亮，运煤车辆夜间通行危险。",
        "修复厂区道路路灯，煤场通道增设投光灯。",
        target=52,
        steps=(
            Start("04-03", "baiyunfei"),
            AskCloseout("06-06", "baiyunfei", "修复厂区道路路灯52盏，煤场通道增设投光灯。", done=52),
            Sign("06-07", "zhaoweidong"),
            Rate("06-08", "l4a", OK),
            Verify("06-12", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "L5",
        "生活区老楼楼道、巷道照明损坏",
        "ludeng",
        "shfw",
        "05-20 10:00",
        "09-30",
        "chenjunhong",
        "wanghongmei",
        "老旧住宅楼楼道灯、巷道灯大量损坏，部分灯座烧坏、电线裸露。",
        "明确楼道灯由物业统一维修，分批更换灯具和声控开关，改造老楼线路。",
        target=200,
        priority=4,
        steps=(
            Start("05-26", "wanghongmei", "明确楼道灯由物业统一维修，分批实施。"),
            Progress("06-30", "wanghongmei", "完成一区、二区楼道灯修复。", 60),
            Progress("08-15", "wanghongmei", "完成三区、四区楼道灯修复。", 120, photo=True),
            Progress("09-20", "wanghongmei", "部分老楼线路需整体改造，进度滞后。", 150),
            Urge("10-08", "yangzhaohui", "已超过整改期限，完成150盏，请生活服务中心说明原因并加快进度。"),
            Progress("10-15", "wanghongmei", "完成178盏，剩余22盏涉及老楼线路改造，正在施工。", 178),
            MeToo("10-16", "l5-me1", "liuxiuying", "我负责保洁的四区楼道还有几处灯不亮。"),
            MeToo("10-18", "l5-me2", None, "二区8号楼楼道也一样，晚上上楼看不见。"),
            Support("10-19", "duwenbin"),
            Urge("10-22", "wangzhiqiang", "督导组第二次督办：请于10月31日前全部完成。"),
        ),
    ),
    ProblemSpec(
        "L7",
        "铝城大道路灯更换LED节能灯",
        "ludeng",
        "shfw",
        "03-28 15:00",
        "07-31",
        "chenjunhong",
        "libaocheng",
        "建议铝城大道路灯全部更换为LED节能灯。",
        "试点更换后全面推广。",
        target=120,
        steps=(
            Start("04-05", "libaocheng"),
            Progress("04-20", "libaocheng", "试点更换LED灯10盏。", 10),
            Cancel(
                "04-28",
                "wangzhiqiang",
                "经核查，铝城大道路灯已纳入生活区主干道路灯修复项目统一实施，本项重复立项，予以中止；"
                "试点更换的10盏不再重复统计。",
            ),
        ),
    ),
    ProblemSpec(
        "W1",
        "第一氧化铝厂厂区卫生间年久失修",
        "weishengjian",
        "yhl1",
        "03-27 10:00",
        "07-31",
        "yuanweiping",
        "niujianjun",
        "厂区卫生间门窗、隔板、冲水设施损坏，无照明、无洗手池，卫生差。",
        "整修厂区卫生间，增设洗手池和照明，安排专人保洁。",
        target=42,
        steps=(
            Start("04-03", "niujianjun"),
            Progress("05-20", "niujianjun", "完成20间卫生间整修。", 20, photo=True),
            AskCloseout(
                "07-15",
                "niujianjun",
                "整修厂区卫生间42间，增设洗手池和照明，安排专人保洁。",
                done=42,
                photos=2,
            ),
            Sign("07-16", "yuanweiping"),
            Rate("07-17", "w1a", OK),
            Rate("07-18", "w1c", BASIC, "修好了，保洁还要跟上。"),
            Verify("07-22", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "W6",
        "原料车间卫生间下水堵塞、数量不足",
        "weishengjian",
        "yhl1-yl",
        "03-27 11:00",
        "06-30",
        "yuanweiping",
        "houtongyi",
        "原料车间附近公厕下水堵塞、水管冻裂；卸车岗位附近没有卫生间。",
        "疏通下水、更换冻裂水管，在卸车岗位附近新建卫生间。",
        target=6,
        steps=(
            Start("04-02", "houtongyi"),
            AskCloseout(
                "06-20", "houtongyi", "整修原料车间卫生间6间（含卸车岗位新建1间），更换冻裂水管。", done=6
            ),
            Sign("06-21", "yuanweiping"),
            Rate("06-22", "w6a", OK, "下水通了，冬天也不怕冻了。"),
            Verify("06-26", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "W2",
        "第二氧化铝厂厂区卫生间漏水、数量不足",
        "weishengjian",
        "yhl2",
        "03-28 10:00",
        "08-31",
        "liqinghong",
        "hezhiming",
        "分解车间卫生间常年漏水、门锁损坏；厂区卫生间数量不足、冬季不供暖。",
        "整修厂区卫生间，重做防水，增设供暖。",
        target=38,
        steps=(
            Start("04-03", "hezhiming"),
            Progress("05-25", "hezhiming", "完成22间卫生间整修。", 22),
            AskCloseout("07-20", "hezhiming", "整修厂区卫生间38间。", done=38, photos=2),
            Reject(
                "07-22", "liqinghong", "现场检查发现分解车间三号卫生间仍有渗漏，整改不彻底，退回继续整改。"
            ),
            Progress("07-28", "hezhiming", "分解车间三号卫生间重新做防水。"),
            AskCloseout(
                "08-05",
                "hezhiming",
                "分解车间三号卫生间重新做防水、更换管件，厂区38间卫生间全部整修完毕，增设暖气片。",
                photos=2,
            ),
            Sign("08-06", "liqinghong"),
            Rate("08-07", "w2a", OK, "不漏水了，门锁也换了。"),
            Rate("08-08", "w2b", OK),
            Verify("08-11", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "W4",
        "生活区公共厕所脏破、设施不全",
        "weishengjian",
        "shfw",
        "03-22 10:00",
        "08-31",
        "chenjunhong",
        "libaocheng",
        "生活区公厕蹲坑损坏、无照明、无扶手，卫生差。",
        "整修生活区公厕，全部改为水冲式，增设照明和扶手，安排专人保洁。",
        target=56,
        steps=(
            Start("03-28", "libaocheng"),
            Progress("05-30", "libaocheng", "五区、三区公厕整修完毕。", 30),
            Progress("07-20", "libaocheng", "一区、二区公厕整修完毕。", 48),
            AskCloseout(
                "08-20",
                "libaocheng",
                "整修生活区公共厕所56间，全部改为水冲式，增设照明和扶手，安排专人保洁。",
                done=56,
                photos=2,
            ),
            Sign("08-21", "chenjunhong"),
            Rate("08-22 09:00", "w4a", OK, "公厕设施修复齐全了。"),
            Rate("08-22 16:00", "w4c", BASIC),
            Rate("08-23", "w4e", OK),
            Verify("08-26", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "W5",
        "办公楼卫生间设施损坏",
        "weishengjian",
        "sxlc-bgs",
        "03-25 10:00",
        "06-30",
        "sunlixin",
        "zhouli",
        "办公楼卫生间水龙头、冲水阀损坏多，三楼女卫生间停用。",
        "整修办公楼及机关卫生间。",
        target=24,
        steps=(
            Start("04-01", "zhouli"),
            AskCloseout("06-12", "zhouli", "整修办公楼及机关卫生间24间。", done=24),
            Sign("06-13", "sunlixin"),
            Rate("06-14", "w5a", OK),
            Verify("06-18", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "W7",
        "热电分厂厂区卫生间少且陈旧",
        "weishengjian",
        "rdfc",
        "03-27 15:00",
        "07-31",
        "zhaoweidong",
        "baiyunfei",
        "汽机车间卫生间水管冻裂未修，厂区女卫生间不足。",
        "整修厂区卫生间，增设女卫生间。",
        target=19,
        steps=(
            Start("04-03", "baiyunfei"),
            Progress("05-28", "baiyunfei", "完成10间。", 10),
            AskCloseout("07-10", "baiyunfei", "整修厂区卫生间19间，其中新增女卫生间4间。", done=19),
            Sign("07-11", "zhaoweidong"),
            Rate("07-12", "w7a", OK),
            Verify("07-16", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "W8",
        "山西分公司机关及车队卫生间陈旧",
        "weishengjian",
        "sxfgs",
        "07-15 10:00",
        "10-31",
        "duanjianping",
        "kangliping",
        "分公司机关办公楼卫生间设施陈旧、冲水不畅；运输部车队院内卫生间破旧。",
        "整修分公司机关及运输部卫生间。",
        target=30,
        steps=(
            Start("07-20", "kangliping"),
            Progress("08-30", "kangliping", "机关办公楼卫生间整修完毕。", 16),
            AskCloseout("10-20", "kangliping", "整修分公司机关及运输部卫生间30间。", done=30, photos=2),
            Sign("10-22", "duanjianping", "同意销号，请督导组验收。"),
            Rate("10-23", "w8a", OK),
            Rate("10-24", "w8b", BASIC, "车队的修好了，希望保洁跟上。"),
        ),
    ),
    ProblemSpec(
        "Z1",
        "第一氧化铝厂职工澡堂热水时有时无",
        "zaotang",
        "yhl1",
        "03-28 10:30",
        "09-30",
        "yuanweiping",
        "niujianjun",
        "澡堂热水供应不稳，淋浴喷头损坏过半，更衣柜不足，地面湿滑。",
        "更换淋浴喷头和更衣柜，铺设防滑地砖，解决热水供应。",
        target=1,
        steps=(
            Start("04-05", "niujianjun"),
            Progress("06-15", "niujianjun", "更换淋浴喷头60个、更衣柜120个，铺设防滑地砖。", photo=True),
            AskCloseout("08-10", "niujianjun", "修缮职工澡堂1个：喷头、更衣柜、防滑地面已完成。", done=1),
            Sign("08-11", "yuanweiping"),
            Rate("08-12 09:00", "z1a", BAD, "喷头换了，可热水还是时有时无。"),
            Rate("08-12 18:00", "z1b", BAD, "热水问题没解决。"),
            Rate("08-13", "z1d", BASIC, "地面不滑了。"),
            Reject("08-15", "yangzhaohui", "职工评价不满意占多数，热水供应问题未解决，退回继续整改。"),
            Progress("08-28", "niujianjun", "更换换热器，增设储热水箱，热水可24小时稳定供应。"),
            AskCloseout(
                "09-05",
                "niujianjun",
                "更换换热器并增设储热水箱，热水稳定供应；淋浴、更衣、防滑等设施全部修缮完毕。",
                photos=2,
            ),
            Sign("09-06", "yuanweiping"),
            Rate("09-07 09:00", "z1a", OK, "热水稳定了。"),
            Rate("09-07 18:00", "z1b", OK),
            Rate("09-08", "z1c", OK),
            Verify("09-10", "yangzhaohui", "职工评价满意，现场验收合格。"),
        ),
    ),
    ProblemSpec(
        "Z2",
        "第二氧化铝厂职工澡堂通风差、开放时间短",
        "zaotang",
        "yhl2",
        "03-28 11:00",
        "07-31",
        "liqinghong",
        "hezhiming",
        "澡堂通风不好、墙面发霉，开放时间短，倒班职工洗不上澡。",
        "改造通风系统，墙面防霉处理，延长开放时间。",
        target=1,
        steps=(
            Start("04-08", "hezhiming"),
            AskCloseout(
                "07-08",
                "hezhiming",
                "修缮职工澡堂：改造通风系统，墙面防霉处理，开放时间延长至24小时。",
                done=1,
            ),
            Sign("07-09", "liqinghong"),
            Rate("07-10", "z2a", OK),
            Verify("07-14", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "Z3",
        "热电分厂职工澡堂设施损坏",
        "zaotang",
        "rdfc",
        "05-22 10:00",
        "10-31",
        "zhaoweidong",
        "baiyunfei",
        "淋浴头一半不出水，更衣室屋顶漏雨，女澡堂淋浴位不足。",
        "更换淋浴设施，屋面防水，扩建女澡堂。",
        target=1,
        steps=(
            Start("05-28", "baiyunfei"),
            Progress("07-30", "baiyunfei", "屋面防水完成，女澡堂扩建开工。", photo=True),
            AskCloseout(
                "10-15",
                "baiyunfei",
                "修缮热电分厂职工澡堂：更换喷头，屋面防水，女澡堂扩建至10个淋浴位。",
                done=1,
                photos=2,
            ),
            Sign("10-16", "zhaoweidong"),
            Rate("10-17", "z3a", OK),
            Rate("10-18", "z3b", BASIC, "淋浴位够了，热水还可以再热一点。"),
            Verify("10-22", "yangzhaohui", "验收合格，公示7天。", notice_days=7),
        ),
    ),
    ProblemSpec(
        "Z4",
        "生活区一区职工浴池水温不稳、收费不公开",
        "zaotang",
        "shfw",
        "03-25 11:00",
        "07-31",
        "chenjunhong",
        "wanghongmei",
        "浴池锅炉老化，水温忽高忽低；收费标准和开放时间不公开。",
        "更换热水锅炉，增设恒温装置，公示收费标准和开放时间。",
        target=1,
        steps=(
            Start("04-01", "wanghongmei"),
            AskCloseout(
                "07-18",
                "wanghongmei",
                "修缮一区职工浴池：更换燃气热水锅炉，增设恒温混水装置，公示收费标准和开放时间。",
                done=1,
            ),
            Sign("07-19", "chenjunhong"),
            Rate("07-20", "z4a", OK, "水温稳了，老人洗澡放心了。"),
            Verify("07-24", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "P1",
        "生活区停车难、乱停车",
        "tingchewei",
        "shfw",
        "03-30 10:00",
        "08-31",
        "chenjunhong",
        "libaocheng",
        "生活区车辆增多，无规划停车位，车辆占用消防通道和人行道。",
        "利用边角空地和拆违腾退场地规划停车位，划线编号，设置引导标识，保卫部协助疏导。",
        target=320,
        assisting=("sxlc-bwb",),
        priority=3,
        steps=(
            Start("04-08", "libaocheng"),
            Progress("05-30", "libaocheng", "完成一区、二区停车位规划划线。", 120),
            Progress("07-25", "libaocheng", "完成三区停车位规划划线。", 240, photo=True),
            AskExtension(
                "08-20", "libaocheng", "09-30", "四区、五区停车场地需先拆除违章建筑后施工，申请延期一个月。"
            ),
            DecideExtension("08-22", "yangzhaohui", True, "同意延期至9月30日，请同步推进拆违。"),
            Progress("09-10", "libaocheng", "四区停车位完成。", 290),
            AskCloseout(
                "09-24",
                "libaocheng",
                "生活区共规划停车位320个，全部划线编号，设置引导标识。",
                done=320,
                photos=2,
            ),
            Sign("09-25", "chenjunhong"),
            Rate("09-26 09:00", "p1a", OK, "终于有地方停车了。"),
            Rate("09-26 19:00", "p1d", OK),
            Rate("09-27 10:00", "p1h", BASIC, "三区门口车位还是偏少。"),
            Rate("09-27 20:00", "p1g", BASIC),
            Verify("09-30", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "P2",
        "办公楼前及厂区停车秩序混乱",
        "tingchewei",
        "sxlc-bgs",
        "07-25 10:00",
        "10-31",
        "sunlixin",
        "zhouli",
        "办公楼前外来车辆随意停放，机关干部车辆占用职工车位，厂区大门口车辆混停。",
        "统一规划办公楼前及厂区停车位，分区停放，领导干部车辆不设专用车位。",
        target=126,
        steps=(
            Start("07-30", "zhouli"),
            Progress("09-15", "zhouli", "办公楼前停车位划线完成。", 80),
            AskCloseout(
                "10-24",
                "zhouli",
                "规划办公楼前及厂区停车位126个，实行分区停放，领导干部车辆不设专用车位。",
                done=126,
                photos=2,
            ),
        ),
    ),
    ProblemSpec(
        "F1",
        "生活区健身器材少且损坏",
        "jianshen",
        "shfw",
        "04-02 10:00",
        "08-31",
        "chenjunhong",
        "libaocheng",
        "健身广场器材少、部分损坏，缺少适合老年人的器材。",
        "在健身广场及各生活区配置健身器材，拆除损坏器材。",
        target=68,
        steps=(
            Start("04-10", "libaocheng"),
            Progress("06-20", "libaocheng", "健身广场器材安装完毕。", 40),
            AskCloseout("08-25", "libaocheng", "在健身广场及各生活区配置健身器材68件。", done=68, photos=2),
            Sign("08-26", "chenjunhong"),
            Rate("08-27", "f1a", OK, "健身器材增加了，早上不用排队了。"),
            Rate("08-28", "f1d", OK),
            Verify("09-02", "yangzhaohui", "验收合格，公示7天。", notice_days=7),
            Object("09-04", "f1c", "四区新装的器材离住户窗户太近，早上太吵。"),
            DecideObjection(
                "09-06",
                "yangzhaohui",
                False,
                "经与居民代表现场协商，器材位置已征求多数住户意见，调整为早6点后开放，异议不成立。",
            ),
            ConcludeNotice("09-10", "yangzhaohui", "公示期满，无成立的异议，予以销号。"),
        ),
    ),
    ProblemSpec(
        "F2",
        "第二氧化铝厂职工活动室缺少健身器材",
        "jianshen",
        "yhl2",
        "04-28 10:00",
        "08-31",
        "liqinghong",
        "hezhiming",
        "职工活动室只有一张乒乓球台，倒班职工缺少锻炼条件。",
        "为职工活动室配置健身器材。",
        target=36,
        steps=(
            Start("05-06", "hezhiming"),
            AskCloseout("08-15", "hezhiming", "为职工活动室配置健身器材36件。", done=36),
            Sign("08-16", "liqinghong"),
            Rate("08-17", "f2a", OK),
            Verify("08-20", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "D1",
        "铝城主干道路面破损、绿化缺失",
        "daolu",
        "shfw",
        "03-28 10:00",
        "09-30",
        "chenjunhong",
        "libaocheng",
        "铝城大道、府西街、南环路路面坑洼积水，两侧行道树缺株断行，绿化带垃圾多。",
        "修补铺油路面，疏通排水，补植行道树，清理绿化带。",
        target=3,
        steps=(
            Start("04-10", "libaocheng"),
            Progress("06-30", "libaocheng", "铝城大道整治完成。", 1, photo=True),
            Progress("08-20", "libaocheng", "府西街整治完成。", 2),
            AskCloseout(
                "09-20",
                "libaocheng",
                "整治绿化铝城大道、府西街、南环路3条主干道：路面修补铺油，疏通排水，两侧补植行道树。",
                done=3,
                photos=2,
            ),
            Sign("09-21", "chenjunhong"),
            Rate("09-22", "d1a", OK, "路更平了，树更绿了。"),
            Rate("09-23", "d1d", OK),
            Verify("09-26", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "D2",
        "东环路第一氧化铝厂段路面破损",
        "daolu",
        "yhl1",
        "03-28 11:00",
        "08-31",
        "yuanweiping",
        "niujianjun",
        "东环路第一氧化铝厂段大车碾压，路面坑洼多。",
        "路面翻修，增设限速标志。",
        target=1,
        steps=(
            Start("04-15", "niujianjun"),
            AskCloseout(
                "08-18",
                "niujianjun",
                "东环路第一氧化铝厂段路面翻修完毕，增设限速标志，两侧补植绿化。",
                done=1,
            ),
            Sign("08-19", "yuanweiping"),
            Rate("08-20", "d2b", OK),
            Verify("08-25", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "D3",
        "生活五区巷道雨后积水",
        "daolu",
        "shfw",
        "07-22 10:00",
        "10-31",
        "chenjunhong",
        "libaocheng",
        "五区巷道排水管堵塞，雨后积水、下水道返水。",
        "疏通排水管道，重新铺设雨水管道，修补巷道路面。",
        steps=(
            Start("07-28", "libaocheng"),
            Progress("09-10", "libaocheng", "完成排水管道疏通，需重新铺设雨水管道。"),
            AskExtension(
                "10-22", "libaocheng", "11-30", "雨水管道改造需与供热管网改造同步施工，申请延期至11月30日。"
            ),
        ),
    ),
    ProblemSpec(
        "LH1",
        "生活区绿地黄土裸露、树木缺株",
        "lvhua",
        "shfw",
        "03-30 11:00",
        "06-30",
        "chenjunhong",
        "libaocheng",
        "生活区绿地多年未补植，黄土裸露；铝城公园树木死亡较多。",
        "抓住春季植树时机补植乔灌木，落实绿地管护责任。",
        steps=(
            Start("04-02", "libaocheng"),
            Progress("04-25", "libaocheng", "补植国槐、油松等乔木。", photo=True),
            AskCloseout(
                "06-15", "libaocheng", "生活区补植乔木1260株、灌木3.2万株，绿地面积增加1.8万平方米。"
            ),
            Sign("06-16", "chenjunhong"),
            Rate("06-17", "lh1a", OK, "树更绿了。"),
            Verify("06-20", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "LD1",
        "生活区乱搭乱建占用公共场地",
        "luandajian",
        "shfw",
        "03-28 14:00",
        "08-31",
        "chenjunhong",
        "libaocheng",
        "楼前私搭乱建小房，占用公共绿地和通道，有的出租牟利。",
        "摸底登记，限期自行拆除，逾期组织拆除，腾退场地用于停车位和绿地。",
        assisting=("sxlc-bwb",),
        steps=(
            Start("04-08", "libaocheng"),
            Progress("06-10", "libaocheng", "已拆除违章建筑80处。"),
            AskCloseout(
                "08-22", "libaocheng", "拆除生活区乱搭乱建137处，腾退场地用于停车位和绿地建设。", photos=2
            ),
            Sign("08-23", "chenjunhong"),
            Rate("08-24", "ld1a", OK),
            Rate("08-25", "ld1c", BASIC, "大部分拆了，还有个别的。"),
            Verify("08-28", "yangzhaohui"),
            LookBack("10-20", "yangzhaohui", True, "回头看：未发现新的违章搭建。"),
        ),
    ),
    ProblemSpec(
        "LB2",
        "分解车间防寒服破旧",
        "laobao",
        "yhl2",
        "09-28 10:00",
        "11-15",
        "liqinghong",
        "hezhiming",
        "防寒服使用五六年，破旧不保暖，尺码不全。",
        "入冬前为分解车间职工更换防寒服，量体订制。",
        steps=(
            Start("10-08", "hezhiming"),
            Progress("10-21", "hezhiming", "已完成全员量体，防寒服采购合同已签订。"),
        ),
    ),
    ProblemSpec(
        "ST1",
        "职工一食堂品种少、价格高、排队长",
        "shitang",
        "shfw",
        "05-20 11:00",
        "09-30",
        "chenjunhong",
        "wanghongmei",
        "饭菜品种少、价格偏高，窗口少、排队长，餐具消毒不到位。",
        "增开售饭窗口，增加品种，公示饭菜价格，完善餐具消毒。",
        steps=(
            Start("05-26", "wanghongmei"),
            Progress("07-10", "wanghongmei", "增开两个售饭窗口，增加面食品种。"),
            AskExtension("09-24", "wanghongmei", "11-30", "后厨改造需停业施工，申请延期。"),
            DecideExtension(
                "09-26",
                "yangzhaohui",
                False,
                "后厨改造可分段施工、不影响就餐，不同意延期，请按期完成价格公示和卫生整改。",
            ),
            Urge("10-10", "yangzhaohui", "已超期，请抓紧完成价格公示和餐具消毒整改。"),
            Progress("10-18", "wanghongmei", "已公示饭菜价格，增设餐具消毒柜。"),
        ),
    ),
    ProblemSpec(
        "HF",
        "精简合并各类会议，改进文风会风（长期坚持）",
        "huifeng",
        "sxlc-bgs",
        "04-15 10:00",
        None,
        "sunlixin",
        "zhouli",
        "会议多、会议长，以会议落实会议、以文件落实文件，文件简报过多。",
        "精简合并各类会议，严格控制文件数量，建立会议计划审批和会风检查长效机制，长期坚持。",
        long_term=True,
        steps=(
            Start("04-20", "zhouli", "制定精简会议文件实施办法。"),
            Progress("08-30", "zhouli", "1—8月各类会议同比减少38%，发文数量同比减少32%。"),
        ),
    ),
    ProblemSpec(
        "HF-1",
        "清理合并各类会议，控制会议规模和时长",
        "huifeng",
        "sxlc-bgs",
        "04-16 10:00",
        "06-30",
        "sunlixin",
        "zhouli",
        "会议多、会议长。",
        "清理各类例行会议，能合并的合并，能不开的不开，会议时长一般不超过1小时。",
        parent="HF",
        weight=2,
        steps=(
            Start("04-20", "zhouli"),
            AskCloseout("06-25", "zhouli", "合并同类会议14个，取消例行会议9个，会议时长一般不超过1小时。"),
            Sign("06-26", "sunlixin"),
            Verify("06-30", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "HF-2",
        "严格控制文件简报数量",
        "huifeng",
        "sxlc-bgs",
        "04-16 10:30",
        "07-31",
        "sunlixin",
        "zhouli",
        "文件简报多，照转照发。",
        "实行发文审核，取消不必要的简报。",
        parent="HF",
        weight=2,
        steps=(
            Start("04-20", "zhouli"),
            AskCloseout("07-25", "zhouli", "实行发文审核制度，各类文件同比减少32%，取消简报5种。"),
            Sign("07-26", "sunlixin"),
            Verify("07-30", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "HF-3",
        "建立会议计划审批和会风检查长效机制",
        "huifeng",
        "sxlc-bgs",
        "07-20 10:00",
        "12-31",
        "sunlixin",
        "zhouli",
        "防止会风文风问题反弹。",
        "建立会议计划审批制度和会风检查办法，定期通报。",
        parent="HF",
        steps=(
            Start("08-01", "zhouli"),
            Progress("10-10", "zhouli", "会议计划审批制度已印发，会风检查办法正在征求意见。"),
        ),
    ),
    ProblemSpec(
        "XC1",
        "改进新闻宣传方式，多报道一线",
        "xuanchuan",
        "sxlc-xcb",
        "04-01 10:00",
        "07-31",
        "wuxiaohong",
        "jiapeng",
        "企业报纸、电视台会议和领导活动报道多，一线职工报道少。",
        "压缩会议和领导活动报道，开设一线栏目，宣传身边先进典型。",
        steps=(
            Start("04-08", "jiapeng"),
            Progress("05-20", "jiapeng", "开设《一线风采》《身边的焦裕禄》栏目。"),
            AskCloseout(
                "07-20",
                "jiapeng",
                "制定改进新闻宣传工作办法：会议报道一般不超过500字，领导一般性活动不再报道；开设一线栏目6个，"
                "采写播出《周生：焦裕禄式的好干部》等一线报道120余篇。",
            ),
            Sign("07-21", "wuxiaohong"),
            Rate("07-22", "xc1a", OK, "报纸上终于能看到我们一线的人了。"),
            Verify("07-25", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "GC1",
        "规范公务用车管理，压减公车运行费用",
        "gongche",
        "sxfgs-ysb",
        "04-10 10:00",
        "09-30",
        "duanjianping",
        "tianguoqing",
        "公车私用、无派车单、油耗偏高，公车数量多、管理松。",
        "封存超编车辆，实行统一调度、派车单和GPS监控，节假日封存。",
        steps=(
            Start("04-15", "tianguoqing"),
            Progress("06-30", "tianguoqing", "封存超编公务车辆11台，实行统一调度、派车单和GPS监控。"),
            AskCloseout(
                "09-15",
                "tianguoqing",
                "实行公车统一调度和节假日封存制度，1—8月公车运行费用同比降低40%。",
            ),
            Sign("09-16", "duanjianping"),
            Rate("09-18", "gc1a", OK),
            Verify("09-22", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "JD1",
        "严格公务接待标准，压减招待费",
        "jiedai",
        "sxlc-bgs",
        "04-10 11:00",
        "08-31",
        "sunlixin",
        "zhouli",
        "接待标准偏高，存在上饭店、超标准接待现象。",
        "修订公务接待管理办法，实行公函接待和接待清单制度。",
        steps=(
            Start("04-15", "zhouli"),
            AskCloseout(
                "08-25",
                "zhouli",
                "修订公务接待管理办法，实行公函接待和接待清单制度，一律安排内部接待；1—8月招待费同比降低24%。",
            ),
            Sign("08-26", "sunlixin"),
            Verify("09-01", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "PX1",
        "外出培训多而散，费用高",
        "peixun",
        "sxlc-bgs",
        "04-18 10:00",
        "08-31",
        "sunlixin",
        "zhouli",
        "外出培训名目多、审批松，有的培训流于形式。",
        "建立外出培训计划审批制度，能内部培训的不外出。",
        steps=(
            Start("04-22", "zhouli"),
            AskCloseout(
                "08-26",
                "zhouli",
                "建立外出培训计划审批制度，能内部培训的不外出；1—8月外出培训费同比降低45%。",
            ),
            Sign("08-27", "sunlixin"),
            Verify("09-01 15:00", "wangzhiqiang"),
        ),
    ),
    ProblemSpec(
        "LJ1",
        "纠正公款吃喝、婚丧嫁娶大操大办",
        "lianjie",
        "sxlc-jjjc",
        "04-12 10:00",
        "09-30",
        "hanzhigang",
        "haomin",
        "个别干部婚丧嫁娶大操大办、收受下属礼金；节前变相公款吃喝。",
        "出台婚丧喜庆事宜报告制度，开展公款吃喝专项检查，严肃查处违规问题。",
        listed_by="wangzhiqiang",
        steps=(
            Start("04-16", "haomin"),
            Progress("06-20", "haomin", "开展专项检查，对2起违规问题进行了严肃处理。"),
            AskCloseout(
                "09-20",
                "haomin",
                "出台领导干部婚丧喜庆事宜报告制度，开展公款吃喝专项检查，查处违规问题3起，"
                "公款吃喝、婚丧嫁娶大操大办现象得到有效纠正。",
            ),
            Sign("09-21", "hanzhigang"),
            Rate("09-22", "lj1a", OK),
            Verify("09-26", "wangzhiqiang", "督导组（活动办公室）验收：制度已建立，查处到位。"),
        ),
    ),
    ProblemSpec(
        "GZ1",
        "领导干部深入基层不够",
        "zuofeng",
        "sxlc-bgs",
        "04-03 10:00",
        "06-30",
        "sunlixin",
        "zhouli",
        "领导干部下基层少，调研只看材料、只听汇报。",
        "建立领导班子成员基层联系点制度，建立调研台账。",
        steps=(
            Start("04-08", "zhouli"),
            AskCloseout(
                "06-25",
                "zhouli",
                "建立领导班子成员基层联系点制度，每人联系1—2个基层单位，每月至少下基层2次并建立调研台账。",
            ),
            Sign("06-26", "sunlixin"),
            Verify("07-01", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "GZ2",
        "机关办事流程繁琐、效率不高",
        "zuofeng",
        "sxlc-bgs",
        "05-06 10:00",
        "10-20",
        "sunlixin",
        "zhouli",
        "到机关办事要跑多个部门，审批环节多，报销流程慢。",
        "对标先进，梳理精简机关办事流程，公布办事指南。",
        steps=(
            Start("05-12", "zhouli"),
            Progress("08-15", "zhouli", "梳理机关办事流程42项，拟精简审批环节15个。"),
            Urge("10-24", "wangzhiqiang", "已超过整改期限，请加快推进流程精简并公布办事指南。"),
        ),
    ),
    ProblemSpec(
        "R1",
        "通勤班车时间与倒班不衔接",
        "qita",
        "yhl1",
        "04-15 10:00",
        "06-30",
        "yuanweiping",
        "niujianjun",
        "班车发车时间与倒班时间不衔接，线路不经过新建的五区。",
        "调整班车时刻表和线路。",
        steps=(
            Return(
                "04-18",
                "niujianjun",
                "职工通勤班车由山西分公司运输部统一运营管理，不属于第一氧化铝厂职责范围，申请退回重新交办。",
            ),
            Reassign(
                "04-21",
                "yangzhaohui",
                "sxfgs-ysb",
                "duanjianping",
                "tianguoqing",
                "07-31",
                "改由山西分公司运输部主办。",
            ),
            Start("04-25", "tianguoqing"),
            AskCloseout("07-10", "tianguoqing", "调整通勤班车时刻表，与倒班时间衔接；新增五区停靠站。"),
            Sign("07-11", "duanjianping"),
            Rate("07-12", "r1a", OK, "下夜班不用在门口干等了。"),
            Verify("07-16", "yangzhaohui"),
        ),
    ),
    ProblemSpec(
        "R2",
        "生活区集贸市场占道经营、垃圾乱倒",
        "qita",
        "shfw",
        "10-15 10:00",
        "11-30",
        "chenjunhong",
        "wanghongmei",
        "集贸市场占道经营，垃圾乱倒，早高峰道路堵塞。",
        "规范经营秩序，清运垃圾。",
        steps=(
            Return(
                "10-21",
                "wanghongmei",
                "集贸市场由铝城街道办事处管理，生活服务中心无执法权，建议由企业与地方政府协调后重新交办。",
            ),
        ),
    ),
    ProblemSpec(
        "C2",
        "子弟学校操场跑道破损",
        "qita",
        "shfw",
        "03-28 16:00",
        "08-31",
        "chenjunhong",
        "libaocheng",
        "操场跑道破损，学生上体育课易受伤。",
        "维修操场跑道。",
        steps=(
            Start("04-10", "libaocheng"),
            Cancel(
                "05-20",
                "wangzhiqiang",
                "子弟学校已按国家政策移交地方政府管理，操场维修由地方教育部门负责，已函告并向提出人说明，本项中止。",
            ),
        ),
    ),
    ProblemSpec(
        "O1",
        "溶出车间岗位饮用水设备老化",
        "gongshui",
        "yhl1-rc",
        "10-20 10:00",
        "11-30",
        "yuanweiping",
        "niujianjun",
        "岗位饮水机老化，水有异味。",
        "更换岗位净水设备。",
    ),
    ProblemSpec(
        "O2",
        "汽机车间值班室空调损坏",
        "qita",
        "rdfc-qj",
        "07-28 10:00",
        "08-31",
        "zhaoweidong",
        "baiyunfei",
        "值班室空调损坏，夏季室温达40℃。",
        "维修或更换值班室空调。",
        steps=(
            Urge("09-05", "yangzhaohui", "已超期未启动整改，请热电分厂说明原因。"),
            Urge("10-10", "wangzhiqiang", "再次督办：请立即落实整改。"),
        ),
    ),
)
