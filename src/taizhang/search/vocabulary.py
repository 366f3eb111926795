"""The words of what people report about: synonyms that mean the same thing (厕所 = 卫生间 = 洗手间),
grouped by the thing they are about, and fixes to jieba's dictionary for this vocabulary.

Similarity maps every word of a group to the group's name, so "二号楼厕所漏水" and "2号楼卫生间水管在漏" share
their words; two texts about different things (a lamp, a toilet) are kept apart even at the same place.
Extend the groups when the labelled set (tests/search/data/) shows a paraphrase they miss; the quality test
says whether the change helped.
"""

from __future__ import annotations

#: Things reported about. A word belongs to one group.
OBJECTS: dict[str, str] = {
    "灯": "路灯 灯 路灯杆 照明 照明灯 灯光 灯管 灯泡 声控灯 楼道灯 电灯 亮灯 光线 盏",
    "卫生间": "卫生间 厕所 洗手间 公厕 茅房 茅厕 蹲位 蹲坑 马桶 便池 上厕所",
    "洗澡": "澡堂 浴室 淋浴 洗澡 洗澡间 淋浴间 喷头 花洒 冷水澡 洗澡水 更衣室 澡",
    "热水": "热水 热水器 水温",
    "供水": "自来水 饮用水 喝水 吃水 水龙头 水质 黄水 水压 停水 没水 出水 用水 打水 通水",
    "食堂": "食堂 餐厅 饭堂 饭菜 菜 打饭 伙食 吃饭 午饭 餐桌 碗筷 餐具 盘子",
    "停车": "停车 停车位 车位 乱停 私家车 停满 停车场",
    "消防通道": "消防通道 消防车",
    "道路": "道路 路面 马路 坑 坑洼 坑坑洼洼 破损",
    "积水": "积水 排水 排水沟 下水道 下雨 一片汪洋",
    "扬尘": "扬尘 灰尘 尘土 粉尘 灰 降尘 洒水 洒水车 防尘网 赤泥",
    "会议": "会议 开会 会 例会 参会 会议室",
    "文件": "文件 发文 公文",
    "报表": "报表 表格 填表 数据 材料",
    "工作服": "工作服 劳保服 工装 棉服 棉衣 防寒服 劳保",
    "劳保鞋": "劳保鞋 安全鞋 皮鞋 鞋 鞋底",
    "暖气": "暖气 供暖 暖气片 取暖 取暖设备 空调 室温",
    "班车": "班车 通勤车 发车 通勤班车",
    "候车": "候车亭 候车棚 等车 班车点 班车站 等班车 遮挡",
    "健身": "健身器材 健身房 跑步机 动感单车 器材 锻炼 健身",
    "球场": "篮球场 球场 打球",
    "乒乓球": "乒乓球 乒乓球室 乒乓球台 乒乓球桌",
    "公车": "公车 公务车 公车私用 私用",
    "接待": "接待 招待 招待费 大吃大喝 酒水 招待餐 接待费",
    "培训": "培训 外出 旅游 考察 游山玩水 培训费 风景区",
    "垃圾": "垃圾 垃圾桶 垃圾箱 清运 垃圾堆",
    "焚烧": "焚烧 烧垃圾 烟 烟味",
    "绿化": "绿化 树 树木 草坪 补种 枯死 绿化带",
    "网络": "网络 网速 wifi 无线网 宽带 掉线 上网 流量 视频会议",
    "护栏": "护栏 栏杆 扶手 钢梯",
    "灭火器": "灭火器 消防器材 压力表",
    "噪音": "噪音 噪声 吵 扰民 轰隆隆 空压机 空压站 压缩机",
    "电梯": "电梯",
    "门禁": "门禁 门锁 单元门 陌生人 外来人员",
    "充电": "电动车 电瓶车 充电 充电棚 车棚 电动自行车 飞线 拉线 电线",
}

#: What is wrong with the thing. Two texts about the same thing with different faults are different problems
#: (the canteen's prices and the canteen's queues).
ASPECTS: dict[str, str] = {
    "黑": "不亮 黑 漆黑 黑漆漆 一片漆黑 漆黑一片 黑乎乎 摸黑 太暗 看不清 看不见 天黑",
    "漏": "漏水 渗水 滴水 漏 渗 水管 下水管 湿",
    "臭": "臭 臭味 味道 熏人 臭气熏天 异味",
    "耗材": "洗手液 卫生纸 手纸",
    "隔断": "隔板 隔断 挡板 隐私 隔板门",
    "冲水": "冲水 冲水阀",
    "冷": "冷水 凉水 凉 不热 没热水 冰凉 冷水澡 太冷 冻",
    "过热": "太热 过热 温度太高 开窗",
    "挤": "挤 拥挤 排队 排长队 人太多 站着 座位 窗口",
    "价格": "贵 涨价 价格 菜价 性价比 吃不起 偏高",
    "时间": "关门 开放时间 延长 发车时间 晚点关 对不上",
    "口味": "咸 油 口味 清淡 重油重盐 太咸 太油 油太大 盐",
    "卫生": "苍蝇 卫生差 不干净 油污 蚊蝇 剩菜渣 洗不干净",
    "太多": "太多 频繁 重复 层层 好几遍 精简 重复开",
    "太长": "太长 冗长 拖沓 又长 篇幅 念稿 稿子 讲话 发言 短会 讲短话",
    "空泛": "空话 套话 空 实一些",
    "通知": "通知 临时 提前 头天",
    "尺码": "尺码 号码 尺寸 调换 穿不上",
    "保暖": "太薄 不保暖 单薄 防寒 厚",
    "质量": "质量 开胶 开裂 不结实",
    "夜宵": "留饭 夜宵 热饭 吃不上",
    "不足": "不够 不足 太少 紧张 没地方",
}

#: Words jieba's dictionary joins wrongly for this vocabulary ("路灯不亮" came out as 路 / 灯不亮).
SPLIT: tuple[str, ...] = ("灯不亮", "路灯不", "水不热", "会不会")

#: Words to keep whole. Every word of OBJECTS is kept whole too.
JOIN: tuple[str, ...] = (
    "不亮",
    "不热",
    "漏水",
    "没热水",
    "冷水",
    "凉水",
    "涨价",
    "排长队",
    "夜班",
    "倒班",
    "三班倒",
)


def concept_of_word() -> dict[str, str]:
    return {word: name for name, words in OBJECTS.items() for word in words.split()}


def aspect_of_word() -> dict[str, str]:
    return {word: name for name, words in ASPECTS.items() for word in words.split()}


def dictionary_words() -> list[str]:
    groups = [*OBJECTS.values(), *ASPECTS.values()]
    return sorted({word for words in groups for word in words.split() if len(word) > 1} | set(JOIN))
