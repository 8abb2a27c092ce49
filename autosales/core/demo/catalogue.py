"""Static reference data for the demo dealer group: stores, brands, trims, extras, workshop items.

Prices are list prices (MSRP, CNY, VAT included) as seen on the Chinese market in 2025–2026;
``cost_rate`` is the dealer's usual purchase price as a share of the MSRP for that brand.
"""

from decimal import Decimal

D = Decimal

# code, name, city, district of the showroom, address, phone, plate prefix
STORES = (
    ("SH01", "上海浦东店", "上海", "浦东新区", "上海市浦东新区张杨路1288号", "021-58881234", "沪A"),
    ("SH02", "上海闵行店", "上海", "闵行区", "上海市闵行区沪闵路6088号", "021-64561234", "沪B"),
    ("SZ01", "深圳南山店", "深圳", "南山区", "深圳市南山区深南大道9678号", "0755-86661234", "粤B"),
    ("HZ01", "杭州西湖店", "杭州", "西湖区", "杭州市西湖区文三路478号", "0571-88851234", "浙A"),
    ("BJ01", "北京朝阳店", "北京", "朝阳区", "北京市朝阳区东四环中路88号", "010-85991234", "京N"),
    ("GZ01", "广州天河店", "广州", "天河区", "广州市天河区黄埔大道西668号", "020-38881234", "粤A"),
    ("NJ01", "南京江宁店", "南京", "江宁区", "南京市江宁区双龙大道1118号", "025-52101234", "苏A"),
    ("CD01", "成都高新店", "成都", "高新区", "成都市高新区天府大道中段1388号", "028-85121234", "川A"),
)

CITY_DISTRICTS = {
    "上海": (
        "浦东新区",
        "闵行区",
        "徐汇区",
        "长宁区",
        "静安区",
        "普陀区",
        "杨浦区",
        "宝山区",
        "松江区",
        "嘉定区",
    ),
    "深圳": ("南山区", "福田区", "罗湖区", "宝安区", "龙岗区", "龙华区"),
    "杭州": ("西湖区", "上城区", "拱墅区", "滨江区", "余杭区", "萧山区"),
    "北京": ("朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"),
    "广州": ("天河区", "越秀区", "海珠区", "白云区", "番禺区", "黄埔区"),
    "南京": ("江宁区", "鼓楼区", "玄武区", "秦淮区", "建邺区", "栖霞区"),
    "成都": ("高新区", "锦江区", "武侯区", "青羊区", "金牛区", "成华区"),
}
ROADS = (
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "长江路",
    "黄河路",
    "世纪大道",
    "和平路",
    "文化路",
    "新华路",
    "光明路",
    "科技路",
    "滨江大道",
    "东方路",
    "南京路",
    "延安路",
    "复兴路",
    "迎宾大道",
    "学府路",
    "花园路",
)

# Chinese name, English name, hex code; the first five are offered on every trim.
COLOURS = (
    ("珍珠白", "Pearl white", "#F4F4F2"),
    ("曜石黑", "Obsidian black", "#16171A"),
    ("星际灰", "Stellar grey", "#7D8084"),
    ("深海蓝", "Deep-sea blue", "#1F3F7A"),
    ("中国红", "China red", "#B3121D"),
    ("极光银", "Aurora silver", "#C3C6C8"),
    ("森林绿", "Forest green", "#2F5D46"),
)

# brand, English name, country, cost rate, models:
#   (model, English name, body type, trims: (trim name, code, fuel type, msrp))
BRANDS = (
    (
        "比亚迪",
        "BYD",
        "中国",
        D("0.95"),
        (
            (
                "秦PLUS",
                "Qin PLUS",
                "sedan",
                (
                    ("DM-i 55km 领先型", "BYD-QINP-DMI55", "phev", D("79800")),
                    ("DM-i 120km 卓越型", "BYD-QINP-DMI120", "phev", D("99800")),
                    ("EV 420km 出行版", "BYD-QINP-EV420", "electric", D("109800")),
                ),
            ),
            (
                "汉",
                "Han",
                "sedan",
                (
                    ("DM-i 尊贵型", "BYD-HAN-DMI", "phev", D("169800")),
                    ("EV 605km 旗舰型", "BYD-HAN-EV605", "electric", D("209800")),
                ),
            ),
            (
                "唐",
                "Tang",
                "suv",
                (
                    ("DM-i 尊享型", "BYD-TANG-DMI", "phev", D("179800")),
                    ("EV 600km 四驱旗舰型", "BYD-TANG-EV600", "electric", D("249800")),
                ),
            ),
            (
                "海豹",
                "Seal",
                "sedan",
                (
                    ("550km 精英型", "BYD-SEAL-550", "electric", D("179800")),
                    ("650km 四驱性能版", "BYD-SEAL-650AWD", "electric", D("229800")),
                ),
            ),
            ("T3", "T3", "van", (("纯电厢式物流车", "BYD-T3-VAN", "electric", D("159800")),)),
        ),
    ),
    (
        "吉利",
        "Geely",
        "中国",
        D("0.94"),
        (
            (
                "星越L",
                "Monjaro",
                "suv",
                (
                    ("2.0TD 尊贵型", "GLY-XYL-20TD-ZG", "petrol", D("145700")),
                    ("2.0TD 旗舰型", "GLY-XYL-20TD-QJ", "petrol", D("169700")),
                    ("雷神Hi·P 智擎版", "GLY-XYL-HIP", "phev", D("178700")),
                ),
            ),
            (
                "帝豪",
                "Emgrand",
                "sedan",
                (
                    ("1.5L 手动精英型", "GLY-DH-15MT", "petrol", D("69800")),
                    ("1.5L CVT 旗舰型", "GLY-DH-15CVT", "petrol", D("89800")),
                ),
            ),
        ),
    ),
    (
        "长安",
        "Changan",
        "中国",
        D("0.94"),
        (
            (
                "CS75 PLUS",
                "CS75 PLUS",
                "suv",
                (
                    ("1.5T 豪华型", "CA-CS75P-15T", "petrol", D("119900")),
                    ("2.0T 旗舰型", "CA-CS75P-20T", "petrol", D("149900")),
                ),
            ),
        ),
    ),
    (
        "大众",
        "Volkswagen",
        "德国",
        D("0.93"),
        (
            (
                "朗逸",
                "Lavida",
                "sedan",
                (
                    ("1.5L 自动舒适版", "VW-LAVIDA-15AT-SS", "petrol", D("120900")),
                    ("1.5L 自动满逸版", "VW-LAVIDA-15AT-MY", "petrol", D("133900")),
                ),
            ),
            (
                "帕萨特",
                "Passat",
                "sedan",
                (
                    ("330TSI 精英版", "VW-PASSAT-330", "petrol", D("209900")),
                    ("380TSI 旗舰版", "VW-PASSAT-380", "petrol", D("259900")),
                ),
            ),
            (
                "ID.4 CROZZ",
                "ID.4 CROZZ",
                "suv",
                (
                    ("长续航 PRO", "VW-ID4-PRO", "electric", D("199900")),
                    ("四驱高性能 PRIME", "VW-ID4-PRIME", "electric", D("259900")),
                ),
            ),
        ),
    ),
    (
        "丰田",
        "Toyota",
        "日本",
        D("0.94"),
        (
            (
                "凯美瑞",
                "Camry",
                "sedan",
                (
                    ("2.0G 豪华版", "TY-CAMRY-20G", "petrol", D("179800")),
                    ("2.5HE 双擎旗舰版", "TY-CAMRY-25HE", "hybrid", D("239800")),
                ),
            ),
            (
                "卡罗拉",
                "Corolla",
                "sedan",
                (
                    ("1.5L 先锋版", "TY-COROLLA-15", "petrol", D("119800")),
                    ("1.8L 双擎精英版", "TY-COROLLA-18HEV", "hybrid", D("139800")),
                ),
            ),
            (
                "RAV4荣放",
                "RAV4",
                "suv",
                (
                    ("2.0L 两驱都市版", "TY-RAV4-20-2WD", "petrol", D("174800")),
                    ("2.5L 双擎四驱旗舰版", "TY-RAV4-25HEV-4WD", "hybrid", D("229800")),
                ),
            ),
        ),
    ),
    (
        "本田",
        "Honda",
        "日本",
        D("0.94"),
        (
            (
                "雅阁",
                "Accord",
                "sedan",
                (
                    ("260TURBO 精英版", "HD-ACCORD-260T", "petrol", D("179800")),
                    ("e:PHEV 旗舰版", "HD-ACCORD-EPHEV", "phev", D("239900")),
                ),
            ),
            (
                "CR-V",
                "CR-V",
                "suv",
                (
                    ("240TURBO 两驱锋尚版", "HD-CRV-240T", "petrol", D("181900")),
                    ("e:HEV 2.0L 四驱旗舰版", "HD-CRV-EHEV-4WD", "hybrid", D("259900")),
                ),
            ),
        ),
    ),
    (
        "理想",
        "Li Auto",
        "中国",
        D("0.96"),
        (
            (
                "L7",
                "L7",
                "suv",
                (
                    ("Pro", "LI-L7-PRO", "phev", D("301800")),
                    ("Max", "LI-L7-MAX", "phev", D("339800")),
                ),
            ),
        ),
    ),
    (
        "蔚来",
        "NIO",
        "中国",
        D("0.95"),
        (
            (
                "ES6",
                "ES6",
                "suv",
                (
                    ("75kWh 标准续航", "NIO-ES6-75", "electric", D("338000")),
                    ("100kWh 长续航", "NIO-ES6-100", "electric", D("386000")),
                ),
            ),
        ),
    ),
    (
        "别克",
        "Buick",
        "美国",
        D("0.93"),
        (
            (
                "GL8",
                "GL8",
                "mpv",
                (
                    ("陆上公务舱 2.0T 豪华型", "BK-GL8-ES-HH", "petrol", D("299900")),
                    ("艾维亚 2.0T 旗舰型", "BK-GL8-AVENIR", "petrol", D("399900")),
                ),
            ),
        ),
    ),
    (
        "五菱",
        "Wuling",
        "中国",
        D("0.95"),
        (
            ("荣光", "Rongguang", "van", (("1.5L 封窗基本型", "WL-RG-15", "petrol", D("56800")),)),
            ("扬光", "Yangguang", "van", (("EV 厢式运输车", "WL-YG-EV", "electric", D("89800")),)),
        ),
    ),
)

# Trims a fleet of each industry buys (by trim code), most used first.
FLEET_TRIMS = {
    "rental": ("VW-LAVIDA-15AT-SS", "TY-COROLLA-15", "BYD-QINP-DMI55", "GLY-XYL-20TD-ZG", "BK-GL8-ES-HH"),
    "taxi": ("BYD-QINP-EV420", "GLY-DH-15CVT", "TY-COROLLA-18HEV", "BYD-QINP-DMI55"),
    "logistics": ("WL-RG-15", "WL-YG-EV", "BYD-T3-VAN"),
    "government": ("VW-PASSAT-330", "BYD-HAN-EV605", "TY-CAMRY-25HE", "BK-GL8-ES-HH", "BYD-TANG-DMI"),
}
SMALL_BUSINESS_TRIMS = (
    "BK-GL8-ES-HH",
    "VW-PASSAT-330",
    "TY-CAMRY-20G",
    "HD-ACCORD-260T",
    "WL-RG-15",
    "WL-YG-EV",
    "CA-CS75P-15T",
    "BYD-HAN-DMI",
)
PREMIUM_TRIMS = ("LI-L7-PRO", "LI-L7-MAX", "NIO-ES6-75", "NIO-ES6-100", "BK-GL8-AVENIR", "BYD-HAN-EV605")

# name, price, cost
ACCESSORIES = (
    ("全车隐形车衣", D("6800"), D("3200")),
    ("前挡隔热膜", D("1800"), D("600")),
    ("全车太阳膜", D("3200"), D("1200")),
    ("行车记录仪", D("1280"), D("520")),
    ("全包围脚垫", D("880"), D("260")),
    ("360度全景影像", D("3980"), D("1900")),
    ("家用充电桩及安装", D("3999"), D("2600")),
    ("车载冰箱", D("1580"), D("790")),
)
FREE_EXTRAS = (
    ("赠送前挡隔热膜", D("1800"), D("600")),
    ("赠送全包围脚垫", D("880"), D("260")),
    ("赠送行车记录仪", D("1280"), D("520")),
    ("赠送首年保养", D("1200"), D("650")),
    ("赠送两年免费保养", D("3600"), D("2100")),
    ("赠送全车太阳膜", D("3200"), D("1200")),
)
# name, price, cost
SERVICE_PACKAGES = (
    ("三年六次保养套餐", D("4980"), D("2900")),
    ("两年四次保养套餐", D("3280"), D("1950")),
    ("延长保修两年", D("4500"), D("2300")),
    ("轮胎无忧服务", D("1680"), D("700")),
)
FEES = (("上牌服务费", D("1000"), D("300")), ("金融服务费", D("1500"), D("0")))
UPFITTING = {
    "logistics": ("货厢加装货架及GPS", D("8800"), D("5600")),
    "taxi": ("出租车顶灯计价器改装", D("6500"), D("4300")),
    "government": ("公务用车标识及车载终端", D("3800"), D("2400")),
}

# Workshop items: description, labour hours, parts [(part number, name, unit cost, unit price, quantity)]
MAINTENANCE_JOBS = (
    (
        "常规保养：更换机油机滤",
        D("0.8"),
        (
            ("OIL-0W20-4L", "全合成机油 0W-20 4L", D("220"), D("398"), 1),
            ("FLT-OIL", "机油滤清器", D("35"), D("78"), 1),
        ),
    ),
    (
        "更换空调滤芯及空气滤芯",
        D("0.5"),
        (("FLT-CABIN", "空调滤芯", D("45"), D("120"), 1), ("FLT-AIR", "空气滤芯", D("40"), D("110"), 1)),
    ),
    ("四轮定位及轮胎换位", D("1.0"), ()),
    ("更换刹车油", D("0.8"), (("BRK-FLUID-1L", "DOT4 刹车油 1L", D("48"), D("118"), 1),)),
)
EV_MAINTENANCE_JOBS = (
    ("三电系统检测", D("1.0"), ()),
    ("更换空调滤芯", D("0.3"), (("FLT-CABIN", "空调滤芯", D("45"), D("120"), 1),)),
    ("冷却液检测及补充", D("0.5"), (("COOL-1L", "电池冷却液 1L", D("60"), D("140"), 1),)),
)
REPAIR_JOBS = (
    ("更换前刹车片", D("1.2"), (("BRK-PAD-F", "前刹车片（套）", D("320"), D("680"), 1),)),
    ("更换蓄电池", D("0.5"), (("BAT-12V-60", "12V 蓄电池 60Ah", D("420"), D("880"), 1),)),
    ("更换轮胎", D("0.8"), (("TYRE-225-55R17", "轮胎 225/55 R17", D("520"), D("980"), 2),)),
    ("更换雨刮片", D("0.2"), (("WIPER-SET", "雨刮片（对）", D("60"), D("168"), 1),)),
)
WARRANTY_JOBS = (
    ("更换车窗升降器（保修）", D("1.5"), (("WIN-REG-FL", "左前车窗升降器", D("380"), D("720"), 1),)),
    ("中控屏更换（保修）", D("2.0"), (("HU-SCREEN", "中控显示屏总成", D("2600"), D("4200"), 1),)),
    ("空调压缩机维修（保修）", D("3.0"), (("AC-COMP", "空调压缩机", D("1900"), D("3300"), 1),)),
)
ACCIDENT_JOBS = (
    ("前保险杠钣金喷漆", D("6.0"), (("PAINT-MAT", "油漆辅料", D("450"), D("1100"), 1),)),
    (
        "更换前大灯总成",
        D("1.5"),
        (("LAMP-HEAD-L", "左前大灯总成", D("1800"), D("3200"), 1),),
    ),
    ("车门钣金修复", D("5.0"), (("PAINT-MAT", "油漆辅料", D("450"), D("1100"), 1),)),
)
LABOUR_RATE = D("380")
LABOUR_COST_RATE = D("130")

# Trade-in cars customers bring (make and model, new price).
TRADE_IN_CARS = (
    ("大众 速腾 1.4T", D("150000")),
    ("丰田 卡罗拉 1.2T", D("130000")),
    ("本田 思域 1.5T", D("140000")),
    ("日产 轩逸 1.6L", D("110000")),
    ("别克 英朗 1.5L", D("100000")),
    ("大众 迈腾 2.0T", D("220000")),
    ("奥迪 A4L 2.0T", D("320000")),
    ("宝马 3系 320Li", D("330000")),
    ("哈弗 H6 1.5T", D("120000")),
    ("吉利 博越 1.8T", D("115000")),
)

COMPANY_WORDS = (
    "华信",
    "东方",
    "恒通",
    "宏达",
    "瑞丰",
    "鼎盛",
    "万通",
    "博远",
    "中联",
    "金桥",
    "安泰",
    "新元",
    "佳运",
    "汇丰",
    "兴业",
    "腾飞",
    "顺达",
    "永安",
    "华通",
    "天成",
)
FLEET_NAME_PATTERNS = {
    "rental": ("{city}{word}汽车租赁有限公司", "{city}{word}租车服务有限公司"),
    "taxi": ("{city}{word}出租汽车有限公司", "{city}{word}网约车服务有限公司"),
    "logistics": ("{city}{word}物流有限公司", "{city}{word}供应链管理有限公司", "{city}{word}快运有限公司"),
    "government": (
        "{city}{district}城市管理局",
        "{city}{district}市场监督管理局",
        "{city}{district}卫生健康委员会",
    ),
}
SMALL_BUSINESS_PATTERNS = (
    ("{city}{word}建设工程有限公司", "construction"),
    ("{city}{word}机械制造有限公司", "manufacturing"),
    ("{city}{word}商贸有限公司", "retail"),
    ("{city}{word}科技有限公司", "technology"),
    ("{city}{word}投资咨询有限公司", "finance"),
    ("{city}{word}餐饮管理有限公司", "retail"),
    ("{city}{word}装饰设计有限公司", "other"),
)
CONTACT_TITLES = {
    "decision_maker": ("总经理", "副总经理", "董事长"),
    "influencer": ("车队经理", "行政总监", "财务总监", "采购经理"),
    "user": ("车队调度", "司机班班长", "运营主管"),
    "gatekeeper": ("总经理助理", "行政专员", "采购专员"),
}
GOVERNMENT_TITLES = {
    "decision_maker": ("分管副局长", "局长"),
    "influencer": ("办公室主任", "财务科科长", "政府采购负责人"),
    "user": ("车队队长", "机关事务科驾驶员"),
    "gatekeeper": ("办公室秘书", "采购专员"),
}
INSURERS = ("中国人保", "平安保险", "太平洋保险", "中华联合")
LENDERS = ("上汽通用金融", "比亚迪汽车金融", "丰田金融", "招商银行", "平安银行")
