"""The campaign of the article (seed/article.txt) as data: leaders' contact points and visits, study sessions
and reflections, meetings with their criticisms, and the check materials rewritten again and again (几易其稿).

Plain data like demo/data.py, in the same conventions (2014, "MM-DD" or "MM-DD HH:MM", usernames and unit
codes). Meetings of 2013 are ordinary meetings, recorded so that "会更少了" can be compared year on year.
"""

from __future__ import annotations

from dataclasses import dataclass

from taizhang.demo.data import (
    VISIT,
    AskCloseout,
    OpinionSpec,
    ProblemSpec,
    Progress,
    Sign,
    Start,
    Verify,
)

# Kinds as their stored values, so this module needs no Django import.
CENTRAL_GROUP, TRAINING, LECTURE, DISCUSSION, TOUR, FILM = (
    "central_group",
    "training",
    "lecture",
    "discussion",
    "tour",
    "film",
)
DEMOCRATIC_LIFE, ORGANISATIONAL_LIFE, CONFERENCE, FORUM, OFFICE, DISPATCH = (
    "democratic_life",
    "organisational_life",
    "conference",
    "forum",
    "office",
    "dispatch",
)
SELF_CRITICISM, CRITICISM, SUGGESTION = "self_criticism", "criticism", "suggestion"
CHECK_MATERIAL, SUMMARY = "check_material", "summary"

#: Who assigns the contact points (the campaign office).
OFFICE_DESK = "wangzhiqiang"


@dataclass(frozen=True)
class ContactPointSpec:
    leader: str
    unit: str
    since: str
    note: str = ""


@dataclass(frozen=True)
class VisitSpec:
    """A visit, recorded by its leader at `at` (the visit's date is the day of `at`)."""

    key: str
    leader: str
    unit: str
    at: str
    people_met: str
    raised: str = ""


@dataclass(frozen=True)
class StudySpec:
    key: str
    at: str
    unit: str
    kind: str
    topic: str
    by: str
    attendees: tuple[str, ...]
    speaker: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ReflectionSpec:
    by: str
    at: str
    title: str
    text: str
    session: str | None = None


@dataclass(frozen=True)
class ItemSpec:
    key: str
    kind: str
    text: str
    speaker: str | None = None
    speaker_name: str = ""
    subject: str | None = None


@dataclass(frozen=True)
class MeetingSpec:
    key: str
    at: str
    unit: str
    kind: str
    title: str
    by: str
    attendees: tuple[str, ...] = ()
    guests: str = ""
    minutes: str = ""
    place: str = ""
    items: tuple[ItemSpec, ...] = ()
    campaign: bool = True
    year: int = 2014


@dataclass(frozen=True)
class CommentSpec:
    at: str
    by: str
    text: str


@dataclass(frozen=True)
class RevisionSpec:
    """A rewrite: `edits` (old → new) applied in order to the previous revision's text; each old text must be
    found there, or the loader refuses the data."""

    at: str
    note: str
    edits: tuple[tuple[str, str], ...]
    comments: tuple[CommentSpec, ...] = ()


@dataclass(frozen=True)
class ApprovalSpec:
    at: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    key: str
    kind: str
    title: str
    unit: str
    author: str
    at: str
    text: str
    note: str = ""
    comments: tuple[CommentSpec, ...] = ()  # on the first draft
    revisions: tuple[RevisionSpec, ...] = ()
    approved: ApprovalSpec | None = None


# --- contact points and visits --------------------------------------------------------------------------

LEADERS_ALL = ("guoshunxi", "yuanweiping", "liqinghong", "chenjunhong", "zhaoweidong", "duanjianping")

CONTACT_POINTS: tuple[ContactPointSpec, ...] = (
    ContactPointSpec("guoshunxi", "yhl2", "02-20", "企业党委书记联系第二氧化铝厂"),
    ContactPointSpec("guoshunxi", "rdfc", "02-20", "企业党委书记联系热电分厂"),
    ContactPointSpec("yuanweiping", "yhl1-yl", "02-20", "一线岗位多、职工反映问题集中"),
    ContactPointSpec("yuanweiping", "yhl1-rc", "02-20"),
    ContactPointSpec("liqinghong", "yhl2-fj", "02-20"),
    ContactPointSpec("chenjunhong", "shfw-wy", "02-20", "联系生活区居民和物业一线"),
    ContactPointSpec("zhaoweidong", "rdfc-gl2", "02-20"),
    ContactPointSpec("duanjianping", "sxfgs-ysb", "02-20"),
)

VISITS: tuple[VisitSpec, ...] = (
    # 原卫平 — 原料车间 and 溶出车间
    VisitSpec(
        "v-yw-0226",
        "yuanweiping",
        "yhl1-yl",
        "02-26 09:00",
        "侯同义（作业长）、原料车间五个班组的班组长",
        "介绍教育实践活动安排，征求对厂领导班子的意见；班组长提到大圆仓岗位吃水难、卸车岗位卫生间少。",
    ),
    VisitSpec(
        "v-yw-0319",
        "yuanweiping",
        "yhl1-rc",
        "03-19 09:30",
        "白志刚（溶出车间主任）、王丽娟、程磊",
        "厂区道路和车间周边灯光昏暗，夜班巡检不安全。",
    ),
    VisitSpec(
        "v-yw-0320",
        "yuanweiping",
        "yhl1-yl",
        "03-20 09:00",
        "侯同义（作业长）、李建民（13号大圆仓岗位）、卸车岗位职工三人",
        "仓顶作业没有水源；卸车岗位卫生间太少；希望领导多听一线意见。",
    ),
    VisitSpec(
        "v-yw-0416",
        "yuanweiping",
        "yhl1-yl",
        "04-16 09:30",
        "侯同义、郑喜康、马俊",
        "回访大圆仓供水方案，职工认可；职工希望领导干部多下基层、多办实事。",
    ),
    VisitSpec(
        "v-yw-0522",
        "yuanweiping",
        "yhl1-rc",
        "05-22 14:00",
        "程磊（检修工）、溶出车间检修班",
        "检修现场临时照明不足，已请设备管理室落实。",
    ),
    VisitSpec(
        "v-yw-0618",
        "yuanweiping",
        "yhl1-yl",
        "06-18 09:00",
        "侯同义、李建民",
        "13号大圆仓供水管道已开工，检查施工安全。",
    ),
    VisitSpec(
        "v-yw-0905",
        "yuanweiping",
        "yhl1-yl",
        "09-05 10:00",
        "郑喜康、马俊",
        "回头看：仓顶供水正常，员工吃水用水方便了。",
    ),
    # 陈军红 — 物业管理部 (the living quarters)
    VisitSpec(
        "v-cj-0307",
        "chenjunhong",
        "shfw-wy",
        "03-07 14:30",
        "刘桂芳（退休职工）、赵晓军（生活一区居民）、物业管理部职工",
        "生活区路灯、公厕、停车和道路问题集中。",
    ),
    VisitSpec(
        "v-cj-0410",
        "chenjunhong",
        "shfw-wy",
        "04-10 15:00",
        "王红梅（物业管理部经理）、刘秀英（保洁员）",
        "居民报修找不到人，建议公布维修电话。",
    ),
    VisitSpec(
        "v-cj-0520",
        "chenjunhong",
        "shfw-wy",
        "05-20 15:00",
        "生活三区、五区居民代表",
        "了解路灯、公厕整修进度；有居民反映物业收费不透明。",
    ),
    VisitSpec(
        "v-cj-0626",
        "chenjunhong",
        "shfw-wy",
        "06-26 16:00",
        "物业管理部职工",
        "征求对个人对照检查材料的意见。",
    ),
    VisitSpec(
        "v-cj-0812", "chenjunhong", "shfw-wy", "08-12 15:00", "生活一区居民", "主干道整治完工后的回访。"
    ),
    VisitSpec(
        "v-cj-0918", "chenjunhong", "shfw-wy", "09-18 15:00", "刘桂芳、赵晓军", "回头看：路灯、公厕保持较好。"
    ),
    # 李庆红 — 分解车间
    VisitSpec(
        "v-lq-0225",
        "liqinghong",
        "yhl2-fj",
        "02-25 10:00",
        "高建华（班长）、张晓燕（化验员）",
        "分解车间卫生间漏水、冬季没有暖气。",
    ),
    VisitSpec(
        "v-lq-0327", "liqinghong", "yhl2-fj", "03-27 10:00", "分解车间甲班职工", "交接班会时间长、内容重复。"
    ),
    VisitSpec(
        "v-lq-0508",
        "liqinghong",
        "yhl2-fj",
        "05-08 10:00",
        "高建华、张晓燕",
        "职工希望领导干部对标先进、提高工作效率。",
    ),
    VisitSpec(
        "v-lq-0703",
        "liqinghong",
        "yhl2-fj",
        "07-03 10:00",
        "分解车间党支部党员",
        "征求对专题民主生活会的意见。",
    ),
    VisitSpec("v-lq-0904", "liqinghong", "yhl2-fj", "09-04 10:00", "高建华", "卫生间整修后的回访。"),
    # 郭顺喜 — 第二氧化铝厂, 热电分厂
    VisitSpec(
        "v-gs-0228",
        "guoshunxi",
        "yhl2",
        "02-28 09:00",
        "李庆红、贺志明及车间主任",
        "听取活动开展情况汇报，到分解车间现场。",
    ),
    VisitSpec(
        "v-gs-0402",
        "guoshunxi",
        "rdfc",
        "04-02 09:00",
        "赵卫东、白云飞、锅炉二车间职工",
        "锅炉岗位工作服、更衣室问题。",
    ),
    VisitSpec(
        "v-gs-0610", "guoshunxi", "yhl2", "06-10 09:00", "第二氧化铝厂领导班子", "征求对企业领导班子的意见。"
    ),
    VisitSpec(
        "v-gs-0912", "guoshunxi", "rdfc", "09-12 09:00", "锅炉二车间职工", "更衣室、卫生间改造后的回访。"
    ),
    # 赵卫东 — 锅炉二车间
    VisitSpec(
        "v-zw-0305",
        "zhaoweidong",
        "rdfc-gl2",
        "03-05 10:00",
        "樊军、宋杰、刘海军（车间主任）",
        "工作服不够换洗；更衣室、卫生间破旧。",
    ),
    VisitSpec(
        "v-zw-0415",
        "zhaoweidong",
        "rdfc-gl2",
        "04-15 10:00",
        "宋杰、锅炉二车间乙班",
        "工作服增配方案征求意见。",
    ),
    VisitSpec("v-zw-0708", "zhaoweidong", "rdfc-gl2", "07-08 10:00", "刘海军", "更衣室改造施工进度。"),
    VisitSpec("v-zw-0910", "zhaoweidong", "rdfc-gl2", "09-10 10:00", "樊军", "回访：职工对改造满意。"),
    # 段建平 — 运输部
    VisitSpec(
        "v-dj-0312",
        "duanjianping",
        "sxfgs-ysb",
        "03-12 10:00",
        "田国庆（运输部部长）、杜文斌（驾驶员）",
        "公务用车管理和派车流程。",
    ),
    VisitSpec(
        "v-dj-0515", "duanjianping", "sxfgs-ysb", "05-15 10:00", "运输部驾驶员", "公车集中管理后的运行情况。"
    ),
    VisitSpec(
        "v-dj-0815", "duanjianping", "sxfgs-ysb", "08-15 10:00", "田国庆", "公车运行费用同比下降情况。"
    ),
)

#: Opinions of demo/data.py that were raised on a visit: entered from it and linked to it.
VISIT_OF_OPINION: dict[str, str] = {
    "g1c": "v-yw-0320",
    "w6b": "v-yw-0320",
    "gz1b": "v-yw-0320",
    "l2c": "v-yw-0319",
    "l1e": "v-cj-0307",
    "w4b": "v-cj-0307",
    "p1c": "v-cj-0307",
    "d1b": "v-cj-0307",
    # and those below
    "cv1": "v-yw-0416",
    "cv2": "v-cj-0410",
    "cv3": "v-cj-0520",
    "cv4": "v-lq-0508",
}

#: What else people said on the visits (the article's “肺腑之言”), answered by the campaign office.
OPINIONS: tuple[OpinionSpec, ...] = (
    OpinionSpec(
        "cv1",
        "04-16 10:20",
        VISIT,
        "企业领导干部要多深入基层，服务群众，多办实事。",
        "yhl1-yl",
        "zuofeng",
        contact="马俊",
        answer="已纳入领导干部联系点制度：班子成员每月至少到联系点一次，走访意见一周内反馈。",
    ),
    OpinionSpec(
        "cv2",
        "04-10 15:40",
        VISIT,
        "居民报修找不到人，建议把物业维修电话和责任人公布到每个楼道。",
        "shfw-wy",
        "qita",
        contact="刘秀英",
        answer="立说立行：各楼道已张贴物业维修电话和责任人，24小时有人接听。",
        handled_days=2,
    ),
    OpinionSpec(
        "cv3",
        "05-20 15:30",
        VISIT,
        "物业收费不透明，希望每季度公开收支账目。",
        "shfw-wy",
        "qita",
        anonymous=True,
        answer="物业管理部自第三季度起每季度在各区公示栏公开收支情况。",
    ),
    OpinionSpec(
        "cv4",
        "05-08 10:30",
        VISIT,
        "企业领导干部要对标先进，进一步提高工作效率。",
        "yhl2-fj",
        "zuofeng",
        contact="高建华",
        answer="已纳入对标管理：厂部每月通报对标指标和办事时限。",
    ),
)


# --- study ----------------------------------------------------------------------------------------------

CENTRAL_GROUP_MEMBERS = (
    "guoshunxi",
    "yuanweiping",
    "liqinghong",
    "chenjunhong",
    "zhaoweidong",
    "duanjianping",
    "sunlixin",
    "wuxiaohong",
    "hanzhigang",
    "yangzhaohui",
    "wangzhiqiang",
)
CADRES = (
    *CENTRAL_GROUP_MEMBERS,
    "houtongyi",
    "niujianjun",
    "hezhiming",
    "liuhaijun",
    "baiyunfei",
    "wanghongmei",
    "libaocheng",
    "zhouli",
    "jiapeng",
    "haomin",
    "tianguoqing",
    "kangliping",
)

STUDY: tuple[StudySpec, ...] = (
    StudySpec(
        "s-0220",
        "02-20 14:30",
        "sxlc",
        CENTRAL_GROUP,
        "学习习近平总书记关于党的群众路线的重要论述",
        "wangzhiqiang",
        CENTRAL_GROUP_MEMBERS,
        speaker="郭顺喜",
    ),
    StudySpec(
        "s-0225",
        "02-25 09:00",
        "sxlc",
        TRAINING,
        "教育实践活动集中培训：目标要求和方法步骤",
        "wangzhiqiang",
        CADRES,
        speaker="活动办公室",
    ),
    StudySpec(
        "s-0305",
        "03-05 14:30",
        "sxlc",
        LECTURE,
        "中央八项规定精神专题辅导",
        "wangzhiqiang",
        CADRES,
        speaker="韩志刚",
    ),
    StudySpec(
        "s-0312",
        "03-12 15:00",
        "yhl2",
        CENTRAL_GROUP,
        "我是谁、为了谁、依靠谁",
        "hezhiming",
        ("liqinghong", "hezhiming", "gaojianhua", "zhangxiaoyan"),
        speaker="李庆红",
    ),
    StudySpec(
        "s-0318",
        "03-18 19:30",
        "sxlc-xcb",
        FILM,
        "企业电视台播放电影《焦裕禄》",
        "jiapeng",
        (*CADRES, "zhengxikang", "fanjun", "majun", "wanglijuan", "gaojianhua", "songjie", "liuxiuying"),
        notes="组织广大党员、干部和员工集中观看。",
    ),
    StudySpec(
        "s-0402",
        "04-02 19:30",
        "sxlc-xcb",
        FILM,
        "专题片《周生：焦裕禄式的好干部》",
        "jiapeng",
        (*CADRES, "chenglei", "zhaopengfei", "lichunsheng", "fanyumei"),
        notes="宣传部采写拍摄的先进事迹专题片。",
    ),
    StudySpec(
        "s-0409",
        "04-09 15:00",
        "yhl1",
        DISCUSSION,
        "坚持群众路线，转变工作作风",
        "niujianjun",
        ("yuanweiping", "niujianjun", "houtongyi", "zhengxikang", "majun", "wanglijuan", "chenglei"),
    ),
    StudySpec(
        "s-0422",
        "04-22 15:00",
        "sxlc-xcb",
        TOUR,
        "学习弘扬焦裕禄精神巡回宣讲（热电分厂场）",
        "jiapeng",
        ("zhaoweidong", "baiyunfei", "liuhaijun", "fanjun", "songjie", "zhaopengfei"),
        speaker="武晓红",
    ),
    StudySpec(
        "s-0514",
        "05-14 14:30",
        "sxlc",
        CENTRAL_GROUP,
        "对照“四风”查摆问题",
        "wangzhiqiang",
        CENTRAL_GROUP_MEMBERS,
    ),
    StudySpec(
        "s-0820",
        "08-20 14:30",
        "sxlc",
        LECTURE,
        "整改落实、建章立制专题辅导",
        "wangzhiqiang",
        CADRES,
        speaker="活动办公室",
    ),
    StudySpec(
        "s-0917",
        "09-17 14:30",
        "sxlc",
        CENTRAL_GROUP,
        "巩固和发展教育实践活动成果",
        "wangzhiqiang",
        CENTRAL_GROUP_MEMBERS,
    ),
)

REFLECTIONS: tuple[ReflectionSpec, ...] = (
    ReflectionSpec(
        "liqinghong",
        "03-14 20:00",
        "明白“我是谁、为了谁、依靠谁”",
        "通过学习，进一步明白了“我是谁、为了谁、依靠谁”。我们班子成员将在形成共识的基础上，以完成生产经营任务、"
        "让员工群众满意为共同的努力方向，从各自分管的工作共同发力，从而形成一种强大合力。\n"
        "我认为，这是学习实践党的群众路线在实际工作中最好的体现。",
        session="s-0312",
    ),
    ReflectionSpec(
        "yangzhaohui",
        "03-08 20:00",
        "让群众来评判党员干部的工作",
        "通过学习，我深刻感受到，坚持群众路线，是坚持全心全意为人民服务根本宗旨的具体体现，"
        "是保持党同人民群众血肉联系的必然要求，是要让群众来评判党员干部的工作。\n"
        "作为督导组成员，要把员工群众满不满意作为检验活动成效的标准。",
        session="s-0305",
    ),
    ReflectionSpec(
        "guoshunxi",
        "02-24 21:00",
        "把满意写在员工群众的心坎上",
        "学习总书记关于群众路线的重要论述，最深的体会是：群众路线是党的生命线和根本工作路线。"
        "企业领导干部要带头对照检查、带头查摆问题，把员工群众的满意作为工作的出发点和落脚点。",
        session="s-0220",
    ),
    ReflectionSpec(
        "yuanweiping",
        "03-10 21:00",
        "学习八项规定的体会",
        "学习中央八项规定，对照自己的工作，深感下基层调研还不够深入，听汇报多、到现场少。"
        "今后要多到联系点，面对面听取一线职工的意见。",
        session="s-0305",
    ),
    ReflectionSpec(
        "chenjunhong",
        "03-20 21:00",
        "观《焦裕禄》有感",
        "焦裕禄同志心里装着全体人民，唯独没有他自己。生活服务中心直接服务员工家属，"
        "路灯、公厕、道路这些小事，就是群众心中的大事。",
        session="s-0318",
    ),
    ReflectionSpec(
        "zhaoweidong",
        "04-24 21:00",
        "学习焦裕禄精神，做职工的贴心人",
        "听了巡回宣讲，深受教育。锅炉岗位条件艰苦，职工反映的工作服、更衣室问题，"
        "就是我们转变作风、为民办实事的切入点。",
        session="s-0422",
    ),
    ReflectionSpec(
        "duanjianping",
        "03-09 21:00",
        "从公车管理做起",
        "学习八项规定，首先要管住公车、管住招待。运输部要把公车集中管理起来，"
        "让每一笔费用都经得起职工群众的监督。",
        session="s-0305",
    ),
    ReflectionSpec(
        "sunlixin",
        "03-07 21:00",
        "文山会海要减下来",
        "机关会议多、文件多，基层疲于应付。办公室要从精简会议、压缩文件做起，把时间还给基层。",
        session="s-0305",
    ),
    ReflectionSpec(
        "wuxiaohong",
        "04-04 21:00",
        "新闻宣传要多看一线",
        "观看《周生：焦裕禄式的好干部》专题片后体会到，宣传报道要把镜头对准一线职工，"
        "多写群众身边的事，少写会议和领导活动。",
        session="s-0402",
    ),
    ReflectionSpec(
        "hanzhigang",
        "03-11 21:00",
        "纪律是作风的保障",
        "作风问题往往从小事开始。纪检监察工作部要对公款吃喝、婚丧嫁娶大操大办紧盯不放，"
        "以严明的纪律保障作风转变。",
        session="s-0305",
    ),
    ReflectionSpec(
        "wangzhiqiang",
        "02-27 21:00",
        "活动不打折、不走样",
        "活动办公室要把集中培训的要求落实到每个环节，做到学习有记录、问题有清单、整改有台账。",
        session="s-0225",
    ),
    ReflectionSpec(
        "houtongyi",
        "04-11 21:00",
        "在讨论中找差距",
        "讨论交流中大家说得很实在：职工最盼的是问题有人管、管了有回音。作为作业长，"
        "我要把职工反映的事一件件记下来、跟到底。",
        session="s-0409",
    ),
    ReflectionSpec(
        "niujianjun",
        "04-12 21:00",
        "设备管理也是为职工服务",
        "以前觉得设备管理只管设备，通过学习认识到，岗位的照明、供水这些条件同样是设备管理的责任。",
        session="s-0409",
    ),
    ReflectionSpec(
        "hezhiming",
        "03-15 21:00",
        "学习体会",
        "李庆红书记讲的“我是谁、为了谁、依靠谁”让我很受触动。综合管理室要多为车间和职工跑腿办事。",
        session="s-0312",
    ),
    ReflectionSpec(
        "liuhaijun",
        "04-25 21:00",
        "听巡回宣讲有感",
        "焦裕禄精神离我们并不遥远，把职工的冷暖放在心上，就是最好的学习。",
        session="s-0422",
    ),
    ReflectionSpec(
        "wanghongmei",
        "03-21 21:00",
        "物业工作要让居民满意",
        "看了《焦裕禄》，想到物业工作天天和居民打交道，报修要有人接、问题要有人管、结果要有人问。",
        session="s-0318",
    ),
    ReflectionSpec(
        "zhouli",
        "03-08 21:00",
        "学习八项规定的体会",
        "秘书科要从严控制发文数量和会议规模，能合并的会议合并，能不发的文件不发。",
        session="s-0305",
    ),
    ReflectionSpec(
        "tianguoqing",
        "03-10 21:00",
        "学习体会",
        "公车使用要公开透明，派车登记、里程记录都要经得起检查。",
        session="s-0305",
    ),
    ReflectionSpec(
        "zhengxikang",
        "03-20 20:30",
        "看电影《焦裕禄》",
        "看了电影很感动。希望领导干部都像焦裕禄那样，到我们岗位上看一看，我们反映的问题能真正解决。",
        session="s-0318",
    ),
    ReflectionSpec(
        "gaojianhua",
        "03-16 21:00",
        "班组学习体会",
        "参加厂里的中心组扩大学习，知道了这次活动就是要解决群众身边的问题，班组的事要大胆提出来。",
        session="s-0312",
    ),
)


# --- meetings -------------------------------------------------------------------------------------------

JUNE_GUESTS = (
    "中央第14巡回督导组组长胡振民；中铝公司党组书记、董事长熊维平；中铝公司党组成员、副总经理敖宏；"
    "中铝公司第三督导组；中铝公司活动办公室"
)

MEETINGS: tuple[MeetingSpec, ...] = (
    MeetingSpec(
        "m-0214",
        "02-14 15:00",
        "zlsx",
        CONFERENCE,
        "中铝山西企业党的群众路线教育实践活动动员大会",
        "wangzhiqiang",
        attendees=(*CADRES,),
        guests="中铝公司第三督导组",
        minutes="郭顺喜作动员讲话，部署学习教育、听取意见，查摆问题、开展批评，整改落实、建章立制三个环节的工作。",
        place="企业礼堂",
    ),
    MeetingSpec(
        "m-0312-yl",
        "03-12 14:00",
        "yhl1-yl",
        FORUM,
        "原料车间职工座谈会",
        "houtongyi",
        attendees=("houtongyi", "zhengxikang", "majun"),
        minutes="职工围绕岗位条件、生活设施提出意见，大圆仓岗位职工集中反映吃水难。",
    ),
    MeetingSpec(
        "m-0626",
        "06-26 14:30",
        "zlsx",
        DEMOCRATIC_LIFE,
        "中铝山西企业领导班子专题民主生活会",
        "wangzhiqiang",
        attendees=("guoshunxi", "duanjianping", "sunlixin", "hanzhigang", "yangzhaohui", "wangzhiqiang"),
        guests=JUNE_GUESTS,
        place="企业会议中心",
        minutes=(
            "会议由郭顺喜主持。会前，班子成员之间、班子成员与分管部门负责人深入开展谈心谈话，"
            "把问题谈透、把思想谈通、把意见谈好。\n"
            "会上，郭顺喜代表领导班子作对照检查，班子成员逐一作个人对照检查，聚焦“四风”，"
            "联系履行职责和运用权力的情况开展批评和自我批评。\n"
            "胡振民组长、熊维平书记、敖宏副总经理和中铝公司第三督导组全程参加指导，"
            "认为这次专题民主生活会有深度、有辣味，是一次高质量的专题民主生活会。"
        ),
        items=(
            ItemSpec(
                "i-0626-1",
                SELF_CRITICISM,
                "深入基层调研不够，听汇报多、到现场少，对一线职工的困难了解不深不细。",
                speaker="guoshunxi",
            ),
            ItemSpec(
                "i-0626-2",
                SELF_CRITICISM,
                "分管的公务用车管理制度不严，公车私用现象没有及时纠正。",
                speaker="duanjianping",
            ),
            ItemSpec(
                "i-0626-3",
                SELF_CRITICISM,
                "联系点走访记录多、反馈少，职工提的意见有的没有回音。",
                speaker="sunlixin",
            ),
            ItemSpec(
                "i-0626-4",
                CRITICISM,
                "会议偏多偏长，有的会议层层陪会，建议班子带头精简。",
                speaker="hanzhigang",
                subject="guoshunxi",
            ),
            ItemSpec(
                "i-0626-5",
                SUGGESTION,
                "整改要列清单、定时限、明责任，完成一项、销号一项，接受员工群众监督。",
                speaker_name="胡振民",
            ),
        ),
    ),
    MeetingSpec(
        "m-0708",
        "07-08 14:30",
        "yhl1",
        DEMOCRATIC_LIFE,
        "第一氧化铝厂领导班子专题民主生活会",
        "yuanweiping",
        attendees=("yuanweiping", "niujianjun", "yangzhaohui"),
        guests="企业督导组",
        minutes=(
            "班子成员聚焦“四风”，客观真实地给自己“画像”“把脉”。\n"
            "原卫平表示：专题民主生活会开出了党内生活新气象，批评意见不是停留在蜻蜓点水，而是尖锐诚恳，"
            "党员领导干部思想受到洗礼，灵魂受到触动，经历了一次严格的党内政治生活锻炼。"
        ),
        items=(
            ItemSpec(
                "i-0708-1",
                SELF_CRITICISM,
                "对大圆仓吃水难这样的老问题，多年来重视不够、推动不力。",
                speaker="yuanweiping",
            ),
            ItemSpec(
                "i-0708-2",
                CRITICISM,
                "设备管理室办事拖拉，车间报的维修单常常一等半个月。",
                speaker="yuanweiping",
                subject="niujianjun",
            ),
            ItemSpec(
                "i-0708-3", SELF_CRITICISM, "服务一线的意识不强，习惯坐在办公室等报表。", speaker="niujianjun"
            ),
        ),
    ),
    MeetingSpec(
        "m-0710",
        "07-10 14:30",
        "yhl2",
        DEMOCRATIC_LIFE,
        "第二氧化铝厂领导班子专题民主生活会",
        "liqinghong",
        attendees=("liqinghong", "hezhiming", "wangzhiqiang"),
        guests="企业督导组",
        minutes="班子成员对照检查，开展批评和自我批评，明确整改措施和时限。",
        items=(
            ItemSpec(
                "i-0710-1",
                SELF_CRITICISM,
                "交接班会、调度会时间长、内容重复，占用了一线职工的休息时间。",
                speaker="liqinghong",
            ),
            ItemSpec(
                "i-0710-2",
                CRITICISM,
                "综合管理室文件转发多、落实检查少。",
                speaker="liqinghong",
                subject="hezhiming",
            ),
        ),
    ),
    MeetingSpec(
        "m-0715",
        "07-15 14:30",
        "rdfc",
        DEMOCRATIC_LIFE,
        "热电分厂领导班子专题民主生活会",
        "zhaoweidong",
        attendees=("zhaoweidong", "baiyunfei", "yangzhaohui"),
        guests="企业督导组",
        minutes="聚焦职工反映的劳保、更衣室问题，班子成员逐一对照检查。",
        items=(
            ItemSpec(
                "i-0715-1",
                SELF_CRITICISM,
                "对锅炉岗位劳动条件关心不够，工作服配备标准多年未调整。",
                speaker="zhaoweidong",
            ),
        ),
    ),
    MeetingSpec(
        "m-0717",
        "07-17 14:30",
        "shfw",
        DEMOCRATIC_LIFE,
        "生活服务中心领导班子专题民主生活会",
        "chenjunhong",
        attendees=("chenjunhong", "libaocheng", "wanghongmei", "wangzhiqiang"),
        guests="企业督导组",
        minutes="对照检查材料几易其稿后上会，班子成员开展批评和自我批评，点名道姓、坦诚相见。",
        items=(
            ItemSpec(
                "i-0717-1",
                SELF_CRITICISM,
                "生活区设施维修欠账多，对居民反映的路灯、公厕问题回应慢。",
                speaker="chenjunhong",
            ),
            ItemSpec(
                "i-0717-2",
                CRITICISM,
                "基建维修科计划性不强，维修材料经常断档。",
                speaker="chenjunhong",
                subject="libaocheng",
            ),
        ),
    ),
    MeetingSpec(
        "m-0722",
        "07-22 14:30",
        "sxfgs",
        DEMOCRATIC_LIFE,
        "山西分公司领导班子专题民主生活会",
        "duanjianping",
        attendees=("duanjianping", "kangliping", "tianguoqing", "yangzhaohui"),
        guests="企业督导组",
        minutes="围绕公务用车、公务接待开展对照检查。",
        items=(
            ItemSpec(
                "i-0722-1", SELF_CRITICISM, "公务接待把关不严，陪餐人数超标准。", speaker="duanjianping"
            ),
        ),
    ),
    MeetingSpec(
        "m-0724",
        "07-24 14:30",
        "sxlc-bgs",
        ORGANISATIONAL_LIFE,
        "办公室党支部专题组织生活会",
        "zhouli",
        attendees=("sunlixin", "zhouli", "fanyumei"),
        items=(
            ItemSpec("i-0724-1", SELF_CRITICISM, "起草文件追求篇幅，简报信息重复报送。", speaker="zhouli"),
        ),
    ),
    MeetingSpec(
        "m-0729",
        "07-29 15:00",
        "yhl1-yl",
        ORGANISATIONAL_LIFE,
        "原料车间党支部专题组织生活会",
        "houtongyi",
        attendees=("houtongyi", "zhengxikang", "majun"),
        items=(
            ItemSpec(
                "i-0729-1", SELF_CRITICISM, "职工反映的问题记在本上、没有跟踪到底。", speaker="houtongyi"
            ),
            ItemSpec("i-0729-2", SUGGESTION, "大圆仓供水管道冬季要做好保温。", speaker="zhengxikang"),
        ),
    ),
    MeetingSpec(
        "m-0731",
        "07-31 15:00",
        "yhl2-fj",
        ORGANISATIONAL_LIFE,
        "分解车间党支部专题组织生活会",
        "hezhiming",
        attendees=("gaojianhua", "zhangxiaoyan", "hezhiming"),
        items=(
            ItemSpec(
                "i-0731-1", SELF_CRITICISM, "班组学习走过场，学习记录多、讨论少。", speaker="gaojianhua"
            ),
        ),
    ),
    MeetingSpec(
        "m-0805",
        "08-05 15:00",
        "rdfc-gl2",
        ORGANISATIONAL_LIFE,
        "锅炉二车间党支部专题组织生活会",
        "liuhaijun",
        attendees=("liuhaijun", "fanjun", "songjie"),
        items=(
            ItemSpec(
                "i-0805-1",
                SELF_CRITICISM,
                "对职工的合理诉求有畏难情绪，总说“等厂里统一安排”。",
                speaker="liuhaijun",
            ),
        ),
    ),
    MeetingSpec(
        "m-0807",
        "08-07 15:00",
        "shfw-wy",
        ORGANISATIONAL_LIFE,
        "物业管理部党支部专题组织生活会",
        "wanghongmei",
        attendees=("wanghongmei", "liuxiuying"),
        items=(
            ItemSpec(
                "i-0807-1", SELF_CRITICISM, "报修回访不及时，居民不知道修没修好。", speaker="wanghongmei"
            ),
        ),
    ),
    MeetingSpec(
        "m-0810",
        "08-10 15:00",
        "sxfgs-ysb",
        ORGANISATIONAL_LIFE,
        "运输部党支部专题组织生活会",
        "tianguoqing",
        attendees=("tianguoqing", "duwenbin"),
        items=(
            ItemSpec("i-0810-1", SELF_CRITICISM, "派车登记不全，里程记录事后补填。", speaker="tianguoqing"),
        ),
    ),
    MeetingSpec(
        "m-1024",
        "10-24 15:00",
        "zlsx",
        CONFERENCE,
        "中铝山西企业党的群众路线教育实践活动总结大会",
        "wangzhiqiang",
        attendees=(*CADRES,),
        guests="中铝公司第三督导组",
        place="企业礼堂",
        minutes=(
            "王志强代表活动办公室通报活动总结和整改台账销号情况。\n"
            "郭顺喜讲话：教育实践活动有期限，加强作风建设无尽期，活动收尾绝不是作风建设收场。"
            "教育实践活动取得的成果来之不易，巩固和发展这些成果更加重要。"
            "我们要把教育实践活动的成果巩固好、发展好，"
            "不断推动企业在“对标赶超 改革崛起”的道路上迈出新步伐，实现新跨越。"
        ),
    ),
)

#: Problems a meeting raised, listed from the item (its key) by the supervision group.
PROBLEM_FROM_ITEM: dict[str, str] = {"LXD1": "i-0626-3"}

PROBLEMS: tuple[ProblemSpec, ...] = (
    ProblemSpec(
        "LXD1",
        "建立联系点走访意见反馈制度",
        "zuofeng",
        "sxlc-bgs",
        "06-27 10:00",
        "08-31",
        "sunlixin",
        "zhouli",
        description="专题民主生活会上孙立新自我批评：联系点走访记录多、反馈少，职工提的意见有的没有回音。",
        measures="制定《领导干部联系点走访意见反馈办法》：走访意见当场登记、一周内反馈、按月通报。",
        source="专题民主生活会",
        steps=(
            Start("06-30", "zhouli", "起草反馈办法，征求各单位意见。"),
            Progress("07-20", "zhouli", "办法已经企业党委会审议通过，7月起施行。"),
            AskCloseout("08-25", "zhouli", "办法施行两个月，走访意见全部在一周内反馈，按月通报。"),
            Sign("08-27", "sunlixin", "同意销号。"),
            Verify("09-02", "yangzhaohui", "抽查7、8月走访记录，反馈及时。"),
        ),
    ),
)

#: Units whose ordinary meetings (办公会, 调度会) are recorded for 2013 and 2014: the article's “会更少了”,
#: from March 2014, when meetings were merged and cut.
ORDINARY_UNITS: tuple[tuple[str, str, str], ...] = (
    ("sxlc-bgs", OFFICE, "zhouli"),
    ("yhl1", DISPATCH, "niujianjun"),
    ("yhl2", DISPATCH, "hezhiming"),
    ("rdfc", DISPATCH, "baiyunfei"),
    ("shfw", OFFICE, "libaocheng"),
    ("sxfgs", OFFICE, "kangliping"),
)
ORDINARY_TITLES = {OFFICE: "办公会", DISPATCH: "生产调度会"}
ORDINARY_MONTHS = range(1, 11)  # January to October of each year


def ordinary_per_month(year: int, month: int) -> int:
    """Ordinary meetings a unit held in a month: five before the campaign's cuts, three after."""
    return 5 if year == 2013 or month < 3 else 3


def ordinary_meetings() -> tuple[MeetingSpec, ...]:
    meetings = []
    for unit, kind, by in ORDINARY_UNITS:
        for year in (2013, 2014):
            for month in ORDINARY_MONTHS:
                for index in range(ordinary_per_month(year, month)):
                    day = 3 + 5 * index
                    meetings.append(
                        MeetingSpec(
                            f"o-{unit}-{year}-{month:02d}-{index}",
                            f"{month:02d}-{day:02d} 08:30",
                            unit,
                            kind,
                            f"{ORDINARY_TITLES[kind]}（{year}年{month}月第{index + 1}次）",
                            by,
                            campaign=False,
                            year=year,
                        )
                    )
    return tuple(meetings)


# --- check materials (对照检查材料, 几易其稿) and the October summary ---------------------------------------

TEAM_MATERIAL = """一、遵守党的政治纪律和贯彻落实中央八项规定情况
领导班子能够坚决贯彻中央八项规定精神，严格执行中铝公司有关规定，总体情况是好的。
二、“四风”方面存在的突出问题
形式主义方面：会议多、文件多，有的会议层层陪会。
官僚主义方面：深入基层不够，对职工群众反映的问题解决不及时。
享乐主义方面：艰苦奋斗的精神有所淡化。
奢靡之风方面：公务接待、公车使用有不规范的现象。
三、产生问题的根源
理论学习不够深入，宗旨意识有所淡化。
四、整改措施
精简会议文件，改进调查研究，严格执行公务接待和公车管理制度。"""

PERSONAL_YUAN = """一、对照检查的基本情况
本人能够认真学习，遵守中央八项规定，工作中尽职尽责。
二、存在的突出问题
深入基层不够，对一线职工的困难了解不多。
会议多，有时以会议落实会议。
三、原因分析
宗旨意识有所淡化。
四、整改措施
多到联系点走访，切实解决职工群众的实际困难。"""

PERSONAL_LI = """一、学习和对照检查情况
通过学习，进一步明白了我是谁、为了谁、依靠谁。
二、存在的问题
调查研究不够，交接班会、调度会偏多。
三、整改措施
精简会议，多到车间班组。"""

PERSONAL_GUO = """一、基本情况
本人认真学习中央精神，带头执行八项规定。
二、存在的问题
调研不深入，有时以听汇报代替现场调研。
三、整改措施
带头下基层，带头精简会议。"""

PERSONAL_CHEN = """一、对照检查的基本情况
本人参加了各阶段的学习，对照党章和八项规定进行了检查。
二、“四风”方面存在的问题
形式主义：工作中有时满足于布置了、开会了。
官僚主义：到生活区走访少，对居民反映的问题重视不够。
享乐主义：有时有松口气、歇歇脚的想法。
奢靡之风：本人没有发现突出问题。
三、产生问题的原因
世界观改造抓得不紧。
四、整改措施
加强学习，改进作风。"""

SUMMARY_TEXT = """中铝山西企业党的群众路线教育实践活动总结
一、基本情况
活动自2月份启动，按照学习教育、听取意见，查摆问题、开展批评，整改落实、建章立制三个环节推进。
二、主要成效
修复698盏生活区和厂区主干道路灯照明，整修217间卫生间，修缮4个职工澡堂，规划446个停车位，配置104件健身器材，整治绿化铝城4条主干道。
三、下一步工作
巩固活动成果，建立长效机制。"""

DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec(
        "d-team",
        CHECK_MATERIAL,
        "山西铝厂领导班子对照检查材料",
        "sxlc",
        "guoshunxi",
        "05-20 10:00",
        TEAM_MATERIAL,
        note="第一稿，在广泛征求意见和谈心谈话基础上形成。",
        comments=(
            CommentSpec(
                "05-26 15:00",
                "yangzhaohui",
                "问题查摆还停留在面上，“总体情况是好的”之类的话要删去；每个方面都要有具体事例，"
                "把职工群众提的意见对号入座。",
            ),
        ),
        revisions=(
            RevisionSpec(
                "06-03 18:00",
                "按企业督导组意见，删去概括性表述，补充具体事例。",
                (
                    ("，总体情况是好的。", "。但对照职工群众的期盼，仍有不小差距。"),
                    (
                        "形式主义方面：会议多、文件多，有的会议层层陪会。",
                        "形式主义方面：会议多、文件多，一季度企业层面召开各类会议47次，有的会议层层陪会，"
                        "基层干部疲于应付。",
                    ),
                    (
                        "官僚主义方面：深入基层不够，对职工群众反映的问题解决不及时。",
                        "官僚主义方面：深入基层不够，原料车间13号大圆仓吃水难的问题反映多年没有解决，"
                        "生活区路灯、公厕欠账多。",
                    ),
                ),
                comments=(
                    CommentSpec(
                        "06-08 16:00",
                        "wangzhiqiang",
                        "转达中央第14巡回督导组胡振民组长审阅意见：根源剖析要从理想信念、宗旨意识、党性修养上深挖，"
                        "不能用客观原因代替主观原因；班子成员的分工责任要写清楚。",
                    ),
                ),
            ),
            RevisionSpec(
                "06-12 18:00",
                "根据胡振民组长意见，重写根源剖析部分。",
                (
                    (
                        "理论学习不够深入，宗旨意识有所淡化。",
                        "理想信念有所弱化，理论学习满足于读文件、记笔记，没有真正入脑入心；"
                        "宗旨意识淡化，把完成生产经营指标看得重，把职工群众的冷暖看得轻；"
                        "党性修养放松，批评和自我批评的武器用得少。",
                    ),
                ),
                comments=(
                    CommentSpec(
                        "06-16 10:00",
                        "yangzhaohui",
                        "转达熊维平书记审阅意见：整改措施要可检查、可考核，定时限、定责任人，完成一项、销号一项。",
                    ),
                ),
            ),
            RevisionSpec(
                "06-20 18:00",
                "按熊维平书记意见，整改措施逐条明确时限和责任人。",
                (
                    (
                        "精简会议文件，改进调查研究，严格执行公务接待和公车管理制度。",
                        "1.精简合并各类会议，8月底前企业层面会议减少三分之一（责任人：孙立新）。\n"
                        "2.班子成员每月至少到联系点一次，走访意见一周内反馈（责任人：郭顺喜）。\n"
                        "3.建立整改台账，实行销号管理，整修生活区路灯、卫生间、澡堂，10月底前完成（责任人：陈军红）。\n"
                        "4.公车集中管理，公务接待执行标准，费用同比下降（责任人：段建平）。",
                    ),
                ),
            ),
        ),
        approved=ApprovalSpec(
            "06-23 11:00", "yangzhaohui", "经中央第14巡回督导组、中铝公司第三督导组审阅，同意上会。"
        ),
    ),
    DocumentSpec(
        "d-guo",
        CHECK_MATERIAL,
        "郭顺喜同志个人对照检查材料",
        "sxlc",
        "guoshunxi",
        "05-22 10:00",
        PERSONAL_GUO,
        comments=(CommentSpec("05-28 15:00", "wangzhiqiang", "问题要具体到本人，不能写成班子的问题。"),),
        revisions=(
            RevisionSpec(
                "06-05 18:00",
                "补充本人的具体问题。",
                (
                    (
                        "调研不深入，有时以听汇报代替现场调研。",
                        "调研不深入，今年一季度到基层调研只有3次，有时以听汇报代替现场调研；"
                        "对会议偏多偏长的问题，本人作为班长负有主要责任。",
                    ),
                ),
                comments=(CommentSpec("06-15 10:00", "yangzhaohui", "整改措施也要具体。"),),
            ),
            RevisionSpec(
                "06-18 18:00",
                "整改措施具体化。",
                (
                    (
                        "带头下基层，带头精简会议。",
                        "每月到联系点第二氧化铝厂、热电分厂各一次；本人主持的会议一律控制在一小时以内。",
                    ),
                ),
            ),
        ),
        approved=ApprovalSpec("06-22 10:00", "wangzhiqiang", "同意上会。"),
    ),
    DocumentSpec(
        "d-yuan",
        CHECK_MATERIAL,
        "原卫平同志个人对照检查材料",
        "yhl1",
        "yuanweiping",
        "06-20 10:00",
        PERSONAL_YUAN,
        comments=(
            CommentSpec(
                "06-25 15:00",
                "yangzhaohui",
                "“本人能够认真学习……尽职尽责”这类自我肯定的话要压缩，问题要点到具体的事。",
            ),
        ),
        revisions=(
            RevisionSpec(
                "06-30 18:00",
                "删去自我肯定的表述，问题写到具体的事。",
                (
                    (
                        "本人能够认真学习，遵守中央八项规定，工作中尽职尽责。",
                        "本人对照党章和中央八项规定，逐条进行了检查。",
                    ),
                    (
                        "深入基层不够，对一线职工的困难了解不多。",
                        "深入基层不够，13号大圆仓职工吃水难的问题反映了二十多年，本人到厂后也没有下决心解决。",
                    ),
                ),
                comments=(CommentSpec("07-02 16:00", "yangzhaohui", "原因分析太简单，要从思想上找根源。"),),
            ),
            RevisionSpec(
                "07-04 18:00",
                "深挖思想根源。",
                (
                    (
                        "宗旨意识有所淡化。",
                        "宗旨意识有所淡化，觉得生产任务重，职工生活上的事可以往后放；"
                        "群众观点不牢，习惯坐在办公室听汇报、看报表。",
                    ),
                ),
            ),
        ),
        approved=ApprovalSpec("07-05 11:00", "yangzhaohui", "同意上会。"),
    ),
    DocumentSpec(
        "d-li",
        CHECK_MATERIAL,
        "李庆红同志个人对照检查材料",
        "yhl2",
        "liqinghong",
        "06-22 10:00",
        PERSONAL_LI,
        comments=(CommentSpec("06-28 15:00", "wangzhiqiang", "问题部分要对照“四风”逐条写。"),),
        revisions=(
            RevisionSpec(
                "07-03 18:00",
                "对照“四风”逐条查摆。",
                (
                    (
                        "调查研究不够，交接班会、调度会偏多。",
                        "形式主义：交接班会、调度会偏多偏长，一周调度会多达5次。\n"
                        "官僚主义：到分解车间现场少，卫生间漏水的问题职工反映后两个月才处理。",
                    ),
                ),
                comments=(CommentSpec("07-06 10:00", "wangzhiqiang", "可以上会。整改措施再加上时限。"),),
            ),
            RevisionSpec(
                "07-07 18:00",
                "整改措施加时限。",
                (("精简会议，多到车间班组。", "7月起调度会每周不超过2次；每月到分解车间班组至少两次。"),),
            ),
        ),
        approved=ApprovalSpec("07-08 11:00", "wangzhiqiang", "同意上会。"),
    ),
    DocumentSpec(
        "d-chen",
        CHECK_MATERIAL,
        "陈军红同志个人对照检查材料",
        "shfw",
        "chenjunhong",
        "06-18 10:00",
        PERSONAL_CHEN,
        note="第一稿。",
        comments=(
            CommentSpec(
                "06-24 15:00", "wangzhiqiang", "“本人没有发现突出问题”不能这样写，要请同事和居民帮你找问题。"
            ),
        ),
        revisions=(
            RevisionSpec(
                "06-27 18:00",
                "征求居民和物业职工意见后，补写奢靡之风方面的问题。",
                (
                    (
                        "奢靡之风：本人没有发现突出问题。",
                        "奢靡之风：生活服务中心年初办公楼装修超出预算，本人把关不严。",
                    ),
                ),
                comments=(
                    CommentSpec(
                        "07-01 10:00",
                        "yangzhaohui",
                        "官僚主义方面的问题还可以写得更像自己：居民反映的路灯、公厕问题拖了多久？",
                    ),
                ),
            ),
            RevisionSpec(
                "07-03 18:00",
                "官僚主义方面写具体。",
                (
                    (
                        "官僚主义：到生活区走访少，对居民反映的问题重视不够。",
                        "官僚主义：到生活区走访少，生活一区至五区主干道路灯损坏，居民反映一年多没有彻底解决；"
                        "公厕蹲坑损坏、晚上没有照明，本人直到3月走访才亲眼看到。",
                    ),
                ),
                comments=(
                    CommentSpec(
                        "07-06 16:00", "wangzhiqiang", "原因分析还是空的，“世界观改造抓得不紧”要说透。"
                    ),
                ),
            ),
            RevisionSpec(
                "07-09 18:00",
                "重写原因分析。",
                (
                    (
                        "世界观改造抓得不紧。",
                        "世界观改造抓得不紧：把生活服务当成“后勤保障”，没有当成联系职工群众的第一线；"
                        "满足于有人管、有人报，没有追问修没修好、群众满不满意。",
                    ),
                ),
                comments=(CommentSpec("07-12 10:00", "yangzhaohui", "整改措施要对应上面的每一个问题。"),),
            ),
            RevisionSpec(
                "07-14 18:00",
                "每一次修改对照材料都是一次对标、一次画像、一次醒悟、一次提高，一次灵魂的洗涤。"
                "呈现在自己身上的问题越来越清晰，同时整改的目标也越来越明确。",
                (
                    (
                        "加强学习，改进作风。",
                        "1.路灯、公厕、道路列入整改台账，10月底前全部修复，完成一项、销号一项。\n"
                        "2.每月到生活区走访两次，报修24小时回访。\n"
                        "3.办公楼装修超支问题向党委作出书面说明，今后非生产性支出一律公示。",
                    ),
                ),
            ),
        ),
        approved=ApprovalSpec("07-15 11:00", "wangzhiqiang", "五易其稿，问题清楚、措施具体，同意上会。"),
    ),
    DocumentSpec(
        "d-summary",
        SUMMARY,
        "中铝山西企业党的群众路线教育实践活动总结",
        "sxlc-hdb",
        "wangzhiqiang",
        "10-13 10:00",
        SUMMARY_TEXT,
        comments=(
            CommentSpec(
                "10-15 15:00",
                "yangzhaohui",
                "成效部分要写上作风建设的数字：公车、招待、培训费用和会议、文件的变化。",
            ),
        ),
        revisions=(
            RevisionSpec(
                "10-20 18:00",
                "补充作风建设成效。",
                (
                    (
                        "整治绿化铝城4条主干道。",
                        "整治绿化铝城4条主干道。\n"
                        "1至8月份与去年同期相比，公车运行费用降低40%，招待费降低24%，外出培训费降低45%；"
                        "会更少了，各类文件数量得到严格控制。",
                    ),
                    (
                        "巩固活动成果，建立长效机制。",
                        "教育实践活动有期限，加强作风建设无尽期。巩固活动成果，建立长效机制，回头看常态化。",
                    ),
                ),
            ),
        ),
        approved=ApprovalSpec("10-22 11:00", "yangzhaohui", "同意印发。"),
    ),
)
