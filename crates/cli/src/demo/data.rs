//! The demo college's fixed vocabulary: its schools and programs (national major codes looked up
//! in the shipped catalogue), offices, name characters with their pinyin (for e-mail addresses),
//! place names, enterprise naming parts, and the hand-written partners (the anchors, government
//! bodies, universities, foreign institutions). Everything here is invented except the major
//! catalogue, the administrative division codes and the GB/T 4754 industry codes.

/// The national catalogue of higher-vocational majors (see `crates/core/data/PROVENANCE.md`).
static MAJORS: &str = include_str!("../../../core/data/majors.csv");

/// The name of a major in the catalogue, by its code.
pub fn major_name(code: &str) -> Option<&'static str> {
    MAJORS.lines().skip(1).find_map(|l| {
        let mut it = l.split(',');
        (it.next()? == code).then(|| it.next()).flatten()
    })
}

pub const COLLEGE: &str = "重庆渝新职业技术学院";
pub const COLLEGE_EN: &str = "Chongqing Yuxin Polytechnic";
pub const MAIL_DOMAIN: &str = "cqyx.edu.cn";
pub const PASSWORD: &str = "SkillBridge-Demo-2026";
/// The day the demo describes: statuses of agreements and cohorts are as of this date.
pub const TODAY: (i32, u32, u32) = (2026, 11, 29);
/// Entry cohorts, oldest first; the last three are current (a three-year program).
pub const COHORTS: [u16; 8] = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026];
pub const FIRST_CURRENT: u16 = 2024;

pub struct SchoolDef {
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    /// GB/T 4754 divisions of the enterprises that partner with this school.
    pub industries: &'static [&'static str],
    /// Whether every current student has dual mentors from the carmaker.
    pub automotive: bool,
}

pub static SCHOOLS: &[SchoolDef] = &[
    SchoolDef {
        code: "01",
        name: "汽车工程学院",
        name_en: "School of Automotive Engineering",
        industries: &["36", "51"],
        automotive: true,
    },
    SchoolDef {
        code: "02",
        name: "新能源汽车学院",
        name_en: "School of New Energy Vehicles",
        industries: &["36", "38"],
        automotive: true,
    },
    SchoolDef {
        code: "03",
        name: "智能制造学院",
        name_en: "School of Intelligent Manufacturing",
        industries: &["34", "35", "36"],
        automotive: false,
    },
    SchoolDef {
        code: "04",
        name: "电子信息学院",
        name_en: "School of Electronic Information",
        industries: &["39", "38"],
        automotive: false,
    },
    SchoolDef {
        code: "05",
        name: "软件学院",
        name_en: "School of Software",
        industries: &["65", "64"],
        automotive: false,
    },
    SchoolDef {
        code: "06",
        name: "数字传媒学院",
        name_en: "School of Digital Media",
        industries: &["87", "86", "64"],
        automotive: false,
    },
    SchoolDef {
        code: "07",
        name: "经济管理学院",
        name_en: "School of Economics and Management",
        industries: &["52", "58", "59", "72"],
        automotive: false,
    },
    SchoolDef {
        code: "08",
        name: "国际教育学院",
        name_en: "School of International Education",
        industries: &["51"],
        automotive: false,
    },
];

/// A program: its school, national major code, the short name used in class names, its relative
/// size, the first cohort it admitted, how its size changed by 2026 relative to 2019, and the share
/// of male students.
#[derive(Debug)]
pub struct ProgramDef {
    pub school: usize,
    pub major: &'static str,
    pub short: &'static str,
    pub weight: f64,
    pub since: u16,
    pub trend: f64,
    pub male: f64,
}

const fn p(
    school: usize,
    major: &'static str,
    short: &'static str,
    weight: f64,
    since: u16,
    trend: f64,
    male: f64,
) -> ProgramDef {
    ProgramDef {
        school,
        major,
        short,
        weight,
        since,
        trend,
        male,
    }
}

pub static PROGRAMS: &[ProgramDef] = &[
    p(0, "460701", "汽制", 1.6, 2019, 0.9, 0.88),
    p(0, "460703", "汽电", 1.0, 2019, 1.1, 0.85),
    p(0, "460705", "汽改", 0.6, 2019, 1.0, 0.90),
    p(0, "500211", "汽检", 1.6, 2019, 0.7, 0.90),
    p(0, "500210", "汽营", 0.9, 2019, 1.0, 0.65),
    p(1, "460702", "新能源", 2.2, 2019, 2.0, 0.86),
    p(1, "460704", "智联", 1.2, 2021, 1.6, 0.82),
    p(1, "500212", "新检", 1.4, 2019, 1.4, 0.88),
    p(1, "510107", "汽智", 0.8, 2021, 1.3, 0.80),
    p(1, "430112", "储能", 0.6, 2023, 1.0, 0.82),
    p(2, "460101", "机制", 1.0, 2019, 0.8, 0.88),
    p(2, "460103", "数控", 0.9, 2019, 0.8, 0.90),
    p(2, "460113", "模具", 0.6, 2019, 0.7, 0.90),
    p(2, "460301", "机电", 1.3, 2019, 1.0, 0.86),
    p(2, "460305", "机器人", 1.1, 2019, 1.4, 0.84),
    p(2, "460306", "电气", 1.0, 2019, 1.0, 0.85),
    p(3, "510101", "电信", 1.0, 2019, 1.0, 0.75),
    p(3, "510102", "物联网", 1.1, 2019, 1.1, 0.72),
    p(3, "510103", "应电", 0.8, 2019, 0.8, 0.78),
    p(3, "510401", "集成电路", 0.7, 2022, 1.2, 0.75),
    p(3, "510301", "通信", 0.8, 2019, 0.9, 0.72),
    p(4, "510203", "软件", 1.5, 2019, 1.1, 0.70),
    p(4, "510201", "计应", 1.2, 2019, 0.9, 0.62),
    p(4, "510202", "网络", 1.0, 2019, 0.8, 0.72),
    p(4, "510205", "大数据", 1.1, 2019, 1.3, 0.62),
    p(4, "510209", "人工智能", 1.0, 2020, 1.6, 0.68),
    p(4, "510207", "信安", 0.7, 2019, 1.1, 0.74),
    p(5, "510204", "数媒", 1.1, 2019, 1.1, 0.52),
    p(5, "550103", "数艺", 1.0, 2019, 1.0, 0.38),
    p(5, "550116", "动漫", 0.8, 2019, 0.8, 0.48),
    p(5, "560213", "融媒体", 0.7, 2021, 1.3, 0.40),
    p(5, "560214", "直播", 0.7, 2021, 1.5, 0.35),
    p(6, "530701", "电商", 1.3, 2019, 1.0, 0.35),
    p(6, "530802", "物流", 1.0, 2019, 1.0, 0.50),
    p(6, "530302", "会计", 1.3, 2019, 0.8, 0.18),
    p(6, "530605", "营销", 0.8, 2019, 0.9, 0.40),
    p(7, "570201", "商英", 0.8, 2019, 0.9, 0.22),
    p(7, "570216", "阿语", 0.4, 2023, 1.0, 0.45),
    p(7, "530501", "国贸", 0.7, 2019, 0.9, 0.32),
    p(7, "530702", "跨境电商", 0.8, 2019, 1.2, 0.30),
];

/// The program whose 2025 cohort holds the `student` demo account.
pub const STUDENT_ACCOUNT_MAJOR: &str = "460701";
pub const STUDENT_ACCOUNT_COHORT: u16 = 2025;

/// Offices of the college and how many staff each has.
pub static OFFICES: &[(&str, usize)] = &[
    ("党政办公室", 12),
    ("教务处", 14),
    ("学生处", 14),
    ("招生就业处", 12),
    ("校企合作处", 10),
    ("国际交流处", 8),
    ("科研处", 8),
    ("人事处", 8),
    ("财务处", 10),
    ("后勤处", 12),
    ("图书馆", 6),
    ("信息中心", 6),
];
/// Staff of each school's own office (教学秘书 and the like), besides its teachers.
pub const SCHOOL_OFFICE: &str = "学院办公室";
pub const SCHOOL_OFFICE_STAFF: usize = 2;
pub const TEACHERS: usize = 480;

/// Surnames with pinyin, most frequent first (with the Chongqing and Sichuan ones in the mix).
pub static SURNAMES: &[(&str, &str)] = &[
    ("陈", "chen"),
    ("李", "li"),
    ("王", "wang"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("周", "zhou"),
    ("罗", "luo"),
    ("谭", "tan"),
    ("唐", "tang"),
    ("邓", "deng"),
    ("吴", "wu"),
    ("赵", "zhao"),
    ("徐", "xu"),
    ("何", "he"),
    ("胡", "hu"),
    ("冉", "ran"),
    ("向", "xiang"),
    ("秦", "qin"),
    ("曾", "zeng"),
    ("彭", "peng"),
    ("蒋", "jiang"),
    ("熊", "xiong"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("郭", "guo"),
    ("高", "gao"),
    ("林", "lin"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("曹", "cao"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("袁", "yuan"),
    ("潘", "pan"),
    ("蔡", "cai"),
    ("余", "yu"),
    ("杜", "du"),
    ("叶", "ye"),
    ("程", "cheng"),
    ("苏", "su"),
    ("魏", "wei"),
    ("吕", "lv"),
    ("丁", "ding"),
    ("任", "ren"),
    ("沈", "shen"),
    ("姚", "yao"),
    ("卢", "lu"),
    ("姜", "jiang"),
    ("崔", "cui"),
    ("钟", "zhong"),
    ("陆", "lu"),
    ("汪", "wang"),
    ("范", "fan"),
    ("金", "jin"),
    ("石", "shi"),
    ("廖", "liao"),
    ("贾", "jia"),
    ("夏", "xia"),
    ("付", "fu"),
    ("方", "fang"),
    ("邹", "zou"),
    ("邱", "qiu"),
    ("江", "jiang"),
    ("尹", "yin"),
    ("薛", "xue"),
    ("段", "duan"),
    ("雷", "lei"),
    ("侯", "hou"),
    ("龙", "long"),
    ("史", "shi"),
    ("陶", "tao"),
    ("黎", "li"),
    ("贺", "he"),
    ("顾", "gu"),
    ("毛", "mao"),
    ("龚", "gong"),
    ("邵", "shao"),
    ("万", "wan"),
    ("覃", "qin"),
    ("蒲", "pu"),
    ("牟", "mou"),
    ("文", "wen"),
    ("饶", "rao"),
    ("况", "kuang"),
    ("代", "dai"),
    ("母", "mu"),
    ("甘", "gan"),
];

/// Given-name characters with pinyin.
pub static MALE_CHARS: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("斌", "bin"),
    ("超", "chao"),
    ("明", "ming"),
    ("刚", "gang"),
    ("平", "ping"),
    ("辉", "hui"),
    ("鹏", "peng"),
    ("华", "hua"),
    ("飞", "fei"),
    ("鑫", "xin"),
    ("波", "bo"),
    ("宇", "yu"),
    ("浩", "hao"),
    ("凯", "kai"),
    ("健", "jian"),
    ("俊", "jun"),
    ("帆", "fan"),
    ("帅", "shuai"),
    ("旭", "xu"),
    ("宁", "ning"),
    ("龙", "long"),
    ("阳", "yang"),
    ("峰", "feng"),
    ("毅", "yi"),
    ("博", "bo"),
    ("豪", "hao"),
    ("晨", "chen"),
    ("睿", "rui"),
    ("轩", "xuan"),
    ("泽", "ze"),
    ("宏", "hong"),
    ("志", "zhi"),
    ("建", "jian"),
    ("国", "guo"),
    ("成", "cheng"),
    ("东", "dong"),
    ("海", "hai"),
    ("亮", "liang"),
    ("川", "chuan"),
    ("航", "hang"),
    ("宸", "chen"),
    ("振", "zhen"),
    ("锐", "rui"),
    ("哲", "zhe"),
    ("然", "ran"),
    ("天", "tian"),
    ("力", "li"),
    ("坤", "kun"),
    ("锋", "feng"),
    ("彬", "bin"),
    ("奇", "qi"),
    ("翔", "xiang"),
];
pub static FEMALE_CHARS: &[(&str, &str)] = &[
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("艳", "yan"),
    ("娟", "juan"),
    ("霞", "xia"),
    ("秀", "xiu"),
    ("玲", "ling"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("倩", "qian"),
    ("琳", "lin"),
    ("颖", "ying"),
    ("慧", "hui"),
    ("佳", "jia"),
    ("欣", "xin"),
    ("怡", "yi"),
    ("梦", "meng"),
    ("璐", "lu"),
    ("瑶", "yao"),
    ("晶", "jing"),
    ("洁", "jie"),
    ("雨", "yu"),
    ("萱", "xuan"),
    ("彤", "tong"),
    ("悦", "yue"),
    ("雯", "wen"),
    ("琴", "qin"),
    ("丹", "dan"),
    ("菲", "fei"),
    ("蕾", "lei"),
    ("薇", "wei"),
    ("诗", "shi"),
    ("涵", "han"),
    ("月", "yue"),
    ("妍", "yan"),
    ("可", "ke"),
    ("思", "si"),
    ("莉", "li"),
    ("燕", "yan"),
    ("兰", "lan"),
    ("红", "hong"),
    ("梅", "mei"),
    ("蓉", "rong"),
    ("露", "lu"),
    ("珊", "shan"),
];
/// First characters of two-character given names, for either gender.
pub static SHARED_CHARS: &[(&str, &str)] = &[
    ("子", "zi"),
    ("欣", "xin"),
    ("雨", "yu"),
    ("思", "si"),
    ("佳", "jia"),
    ("浩", "hao"),
    ("俊", "jun"),
    ("嘉", "jia"),
    ("文", "wen"),
    ("明", "ming"),
    ("晓", "xiao"),
    ("春", "chun"),
    ("永", "yong"),
    ("若", "ruo"),
    ("一", "yi"),
    ("家", "jia"),
    ("心", "xin"),
    ("梓", "zi"),
    ("语", "yu"),
    ("诗", "shi"),
    ("宇", "yu"),
    ("海", "hai"),
    ("小", "xiao"),
    ("金", "jin"),
];

/// Road and street names for addresses.
pub static ROADS: &[&str] = &[
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "新华路",
    "和平路",
    "胜利路",
    "文化路",
    "滨江路",
    "朝阳路",
    "团结路",
    "光明路",
    "育才路",
    "学府大道",
    "长江路",
    "嘉陵路",
    "南山路",
    "北城大道",
    "东环路",
    "西城大道",
    "新城大道",
    "工业园路",
    "迎宾大道",
    "花园路",
    "青年路",
    "桂花街",
    "凤凰路",
    "龙湖路",
    "紫薇路",
    "金山大道",
];
pub static TOWNS: &[&str] = &[
    "石桥", "新场", "龙泉", "双河", "白沙", "三合", "太平", "永兴", "清平", "兴隆", "高峰", "青龙",
    "马鞍", "复兴", "安居", "平安", "仁和", "大兴", "金龙", "长林",
];
pub static VILLAGES: &[&str] = &[
    "新华", "团结", "红岩", "青山", "和平", "光明", "向阳", "柏林", "桂花", "竹林", "石龙", "双桥",
    "五里", "龙井", "杨柳", "金竹", "白果", "观音", "高桥", "大湾",
];

/// Chongqing districts where partners are located: code, name, pinyin, weight.
pub static CQ_DISTRICTS: &[(&str, &str, &str, u32)] = &[
    ("500112", "渝北区", "Yubei", 14),
    ("500105", "江北区", "Jiangbei", 8),
    ("500106", "沙坪坝区", "Shapingba", 8),
    ("500107", "九龙坡区", "Jiulongpo", 9),
    ("500120", "璧山区", "Bishan", 6),
    ("500113", "巴南区", "Banan", 5),
    ("500109", "北碚区", "Beibei", 5),
    ("500116", "江津区", "Jiangjin", 5),
    ("500118", "永川区", "Yongchuan", 5),
    ("500115", "长寿区", "Changshou", 3),
    ("500102", "涪陵区", "Fuling", 4),
    ("500111", "大足区", "Dazu", 3),
    ("500153", "荣昌区", "Rongchang", 2),
    ("500117", "合川区", "Hechuan", 3),
    ("500108", "南岸区", "Nan'an", 6),
    ("500103", "渝中区", "Yuzhong", 4),
    ("500101", "万州区", "Wanzhou", 3),
    ("500151", "铜梁区", "Tongliang", 2),
    ("500110", "綦江区", "Qijiang", 2),
];

/// Sichuan cities of the economic circle where partners are located: code, name, pinyin, weight.
pub static SC_CITIES: &[(&str, &str, &str, u32)] = &[
    ("510100", "成都市", "Chengdu", 40),
    ("510700", "绵阳市", "Mianyang", 8),
    ("510600", "德阳市", "Deyang", 8),
    ("511500", "宜宾市", "Yibin", 6),
    ("510500", "泸州市", "Luzhou", 4),
    ("510300", "自贡市", "Zigong", 3),
    ("511000", "内江市", "Neijiang", 3),
    ("511100", "乐山市", "Leshan", 3),
    ("511300", "南充市", "Nanchong", 3),
    ("510900", "遂宁市", "Suining", 3),
    ("511600", "广安市", "Guang'an", 2),
    ("511700", "达州市", "Dazhou", 2),
    ("511400", "眉山市", "Meishan", 2),
    ("512000", "资阳市", "Ziyang", 2),
    ("511800", "雅安市", "Ya'an", 1),
];

/// Characters for invented enterprise brand names, with pinyin.
pub static BRAND_CHARS: &[(&str, &str)] = &[
    ("渝", "yu"),
    ("嘉", "jia"),
    ("瑞", "rui"),
    ("鑫", "xin"),
    ("华", "hua"),
    ("博", "bo"),
    ("盛", "sheng"),
    ("恒", "heng"),
    ("远", "yuan"),
    ("川", "chuan"),
    ("蓉", "rong"),
    ("锦", "jin"),
    ("巴", "ba"),
    ("蜀", "shu"),
    ("天", "tian"),
    ("创", "chuang"),
    ("联", "lian"),
    ("智", "zhi"),
    ("德", "de"),
    ("宏", "hong"),
    ("达", "da"),
    ("泰", "tai"),
    ("信", "xin"),
    ("诚", "cheng"),
    ("安", "an"),
    ("康", "kang"),
    ("腾", "teng"),
    ("亿", "yi"),
    ("顺", "shun"),
    ("隆", "long"),
    ("昌", "chang"),
    ("新", "xin"),
    ("源", "yuan"),
    ("峰", "feng"),
    ("科", "ke"),
    ("凯", "kai"),
    ("力", "li"),
    ("通", "tong"),
    ("越", "yue"),
    ("晟", "sheng"),
    ("拓", "tuo"),
    ("铭", "ming"),
    ("佳", "jia"),
    ("汇", "hui"),
    ("辰", "chen"),
    ("骏", "jun"),
    ("鼎", "ding"),
    ("朗", "lang"),
];

/// Chinese word, English word, e-mail slug.
pub type Words = &'static [(&'static str, &'static str, &'static str)];

/// Business words per GB/T 4754 division: Chinese, English, e-mail slug; with the division's
/// weight among the generated enterprises.
pub static INDUSTRY_WORDS: &[(&str, u32, Words)] = &[
    (
        "36",
        30,
        &[
            ("汽车零部件", "Auto Parts", "autoparts"),
            ("汽车部件", "Automotive Components", "autocomp"),
            ("汽车座椅", "Auto Seating", "seating"),
            ("汽车内饰", "Auto Interior", "interior"),
            ("动力总成", "Powertrain", "powertrain"),
            ("车桥", "Axle", "axle"),
            ("专用汽车", "Special Vehicle", "sv"),
        ],
    ),
    (
        "38",
        9,
        &[
            ("电气", "Electric", "electric"),
            ("动力电池", "Power Battery", "battery"),
            ("电机", "Motor", "motor"),
            ("储能科技", "Energy Storage Technology", "storage"),
        ],
    ),
    (
        "39",
        11,
        &[
            ("电子", "Electronics", "elec"),
            ("光电", "Optoelectronics", "opto"),
            ("智能终端", "Smart Devices", "device"),
            ("半导体", "Semiconductor", "semi"),
            ("显示科技", "Display Technology", "display"),
        ],
    ),
    (
        "34",
        7,
        &[
            ("机械", "Machinery", "machinery"),
            ("精密机械", "Precision Machinery", "precision"),
            ("数控机床", "CNC Machine Tool", "cnc"),
            ("液压", "Hydraulics", "hydraulic"),
        ],
    ),
    (
        "35",
        7,
        &[
            ("智能装备", "Intelligent Equipment", "equip"),
            ("机器人", "Robotics", "robot"),
            ("模具", "Mould", "mould"),
            ("自动化设备", "Automation Equipment", "auto-equip"),
        ],
    ),
    (
        "64",
        5,
        &[
            ("网络科技", "Network Technology", "net"),
            ("互联网科技", "Internet Technology", "internet"),
        ],
    ),
    (
        "65",
        10,
        &[
            ("软件", "Software", "soft"),
            ("信息技术", "Information Technology", "it"),
            ("数据科技", "Data Technology", "data"),
            ("云计算", "Cloud Computing", "cloud"),
        ],
    ),
    (
        "87",
        4,
        &[
            ("文化传媒", "Culture and Media", "media"),
            ("影视传媒", "Film and Television Media", "film"),
            ("动漫", "Animation", "anime"),
        ],
    ),
    ("86", 1, &[("数字出版", "Digital Publishing", "pub")]),
    (
        "51",
        4,
        &[
            ("汽车销售服务", "Automobile Sales and Service", "autosales"),
            ("进出口贸易", "Import and Export Trading", "trade"),
        ],
    ),
    ("52", 3, &[("电子商务", "E-commerce", "ecom")]),
    (
        "58",
        2,
        &[("供应链管理", "Supply Chain Management", "supply")],
    ),
    (
        "59",
        3,
        &[
            ("物流", "Logistics", "logistics"),
            ("仓储", "Warehousing", "warehouse"),
        ],
    ),
    (
        "72",
        2,
        &[("人力资源服务", "Human Resources Services", "hr")],
    ),
];

/// A hand-written Chinese partner: kind, name in Chinese and English, GB/T 4754 division,
/// region code, size, ownership, headcount, address and the e-mail domain of its contacts.
pub struct ChinesePartner {
    pub kind: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    pub industry: &'static str,
    pub region: &'static str,
    pub size: &'static str,
    pub ownership: &'static str,
    pub headcount: i64,
    pub address: &'static str,
    pub domain: &'static str,
}

/// The anchor partners that the rest of the demo is built around, in the order that
/// `gen::Anchors` counts them: the carmaker whose mentors every automotive student has, its
/// international sales arm, and the media group.
pub static ANCHOR_PARTNERS: &[ChinesePartner] = &[
    ChinesePartner {
        kind: "enterprise",
        name: "重庆渝驰汽车股份有限公司",
        name_en: "Chongqing Yuchi Automobile Co., Ltd.",
        industry: "36",
        region: "500112",
        size: "large",
        ownership: "state",
        headcount: 36_800,
        address: "重庆市渝北区渝驰大道1号",
        domain: "yuchi-auto.com.cn",
    },
    ChinesePartner {
        kind: "enterprise",
        name: "重庆渝驰汽车国际销售有限公司",
        name_en: "Yuchi Automobile International Sales Co., Ltd.",
        industry: "51",
        region: "500112",
        size: "medium",
        ownership: "state",
        headcount: 460,
        address: "重庆市渝北区渝驰大道1号渝驰国际中心12楼",
        domain: "yuchi-auto.com.cn",
    },
    ChinesePartner {
        kind: "enterprise",
        name: "重庆巴渝数字传媒集团有限公司",
        name_en: "Chongqing Bayu Digital Media Group Co., Ltd.",
        industry: "87",
        region: "500105",
        size: "large",
        ownership: "state",
        headcount: 2_860,
        address: "重庆市江北区观音桥传媒大道18号",
        domain: "bayu-media.com.cn",
    },
];

/// The foreign anchor partners, after [`ANCHOR_PARTNERS`] and in the order that `gen::Anchors`
/// counts them: the overseas training base in Saudi Arabia, and the Sri Lanka digital village
/// project's government, education and business partners. Same columns as [`FOREIGN`].
pub static ANCHOR_FOREIGN: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "沙特阿拉伯利雅得汽车技能培训中心",
        "Riyadh Automotive Skills Training Centre",
        "SA",
        "83",
        "Riyadh",
        "Khalid Al-Otaibi",
    ),
    (
        "斯里兰卡中央省数字乡村发展署",
        "Central Province Digital Village Development Authority",
        "LK",
        "92",
        "Kandy",
        "Ruwan Bandara",
    ),
    (
        "斯里兰卡康提数字技术学院",
        "Kandy College of Digital Technology",
        "LK",
        "83",
        "Kandy",
        "Dilani Wickramasinghe",
    ),
    (
        "锡兰智慧乡村科技私人有限公司",
        "Ceylon Smart Village Technologies (Pvt) Ltd",
        "LK",
        "65",
        "Colombo",
        "Nuwan Perera",
    ),
];

/// Positions of the anchor partners among the hand-written partners ([`ANCHOR_PARTNERS`], then
/// [`ANCHOR_FOREIGN`]), which are the first organisations of the plan.
pub const CARMAKER: usize = 0;
pub const INTL_SALES: usize = 1;
pub const MEDIA: usize = 2;
pub const SAUDI_BASE: usize = 3;
pub const LK_GOV: usize = 4;
pub const LK_EDU: usize = 5;
pub const LK_BIZ: usize = 6;

/// An agreement of an anchor partner. In `title`, `{org}` stands for the partner's name and
/// `{y}` for the cohort. A row with `cohorts` set is repeated for every entry cohort of
/// [`COHORTS`], and the years of its `start` and `end` count from the cohort's entry year.
/// Amounts in yuan; `status` overrides the one the dates give.
pub struct AnchorAgreement {
    pub partner: usize,
    pub kind: &'static str,
    pub title: &'static str,
    pub start: (i32, u32, u32),
    pub end: (i32, u32, u32),
    pub amount: Option<i64>,
    pub status: Option<&'static str>,
    pub cohorts: bool,
}

const fn agreement(
    partner: usize,
    kind: &'static str,
    title: &'static str,
    start: (i32, u32, u32),
    end: (i32, u32, u32),
    amount: Option<i64>,
) -> AnchorAgreement {
    AnchorAgreement {
        partner,
        kind,
        title,
        start,
        end,
        amount,
        status: None,
        cohorts: false,
    }
}

/// The anchors' agreements, in the order they are numbered when signed on the same day.
pub static ANCHOR_AGREEMENTS: &[AnchorAgreement] = &[
    agreement(
        CARMAKER,
        "framework",
        "{org}战略合作框架协议",
        (2019, 5, 20),
        (2029, 5, 19),
        None,
    ),
    agreement(
        CARMAKER,
        "industry_college",
        "渝驰汽车产业学院共建协议",
        (2021, 9, 1),
        (2026, 8, 31),
        Some(8_000_000),
    ),
    agreement(
        CARMAKER,
        "industry_college",
        "渝驰汽车产业学院共建协议（第二期）",
        (2026, 9, 1),
        (2031, 8, 31),
        Some(12_000_000),
    ),
    agreement(
        CARMAKER,
        "training_base",
        "渝驰汽车校外实训基地共建协议",
        (2020, 3, 1),
        (2025, 2, 28),
        Some(2_000_000),
    ),
    agreement(
        CARMAKER,
        "training_base",
        "渝驰汽车新能源校外实训基地共建协议",
        (2025, 3, 1),
        (2030, 2, 28),
        Some(3_500_000),
    ),
    AnchorAgreement {
        cohorts: true,
        ..agreement(
            CARMAKER,
            "order_class",
            "渝驰汽车订单班培养协议（{y}级）",
            (0, 9, 1),
            (3, 6, 30),
            Some(500_000),
        )
    },
    agreement(
        CARMAKER,
        "apprenticeship",
        "新能源汽车技术专业现代学徒制合作协议",
        (2024, 9, 1),
        (2027, 8, 31),
        Some(400_000),
    ),
    agreement(
        CARMAKER,
        "internship",
        "渝驰汽车岗位实习协议",
        (2024, 3, 1),
        (2027, 2, 28),
        None,
    ),
    agreement(
        CARMAKER,
        "rnd",
        "智能网联汽车测试技术联合研发协议",
        (2025, 6, 1),
        (2027, 5, 31),
        Some(1_200_000),
    ),
    agreement(
        INTL_SALES,
        "overseas",
        "渝驰汽车海外售后服务人才联合培养协议",
        (2023, 6, 1),
        (2028, 5, 31),
        Some(2_000_000),
    ),
    agreement(
        INTL_SALES,
        "order_class",
        "渝驰国际订单班（应用阿拉伯语）培养协议",
        (2024, 9, 1),
        (2027, 6, 30),
        Some(300_000),
    ),
    agreement(
        SAUDI_BASE,
        "overseas",
        "沙特利雅得海外汽车技能培训基地共建协议",
        (2024, 10, 15),
        (2029, 10, 14),
        Some(3_000_000),
    ),
    agreement(
        MEDIA,
        "framework",
        "{org}校企合作框架协议",
        (2021, 4, 1),
        (2026, 3, 31),
        None,
    ),
    agreement(
        MEDIA,
        "industry_college",
        "巴渝数字经济产业学院共建协议",
        (2022, 6, 1),
        (2027, 5, 31),
        Some(6_000_000),
    ),
    agreement(
        MEDIA,
        "training_base",
        "巴渝传媒融媒体实训基地共建协议",
        (2023, 3, 1),
        (2028, 2, 29),
        Some(1_500_000),
    ),
    agreement(
        MEDIA,
        "order_class",
        "巴渝传媒直播电商订单班培养协议（2025级）",
        (2025, 9, 1),
        (2028, 6, 30),
        Some(200_000),
    ),
    agreement(
        LK_GOV,
        "overseas",
        "斯里兰卡数字乡村建设合作备忘录",
        (2024, 5, 20),
        (2027, 5, 19),
        None,
    ),
    AnchorAgreement {
        status: Some("draft"),
        ..agreement(
            LK_GOV,
            "overseas",
            "斯里兰卡数字乡村项目（二期）合作协议",
            (2027, 1, 1),
            (2029, 12, 31),
            Some(1_800_000),
        )
    },
    agreement(
        LK_EDU,
        "overseas",
        "斯里兰卡数字技能人才联合培养协议（康提）",
        (2024, 9, 1),
        (2027, 8, 31),
        Some(800_000),
    ),
    agreement(
        LK_BIZ,
        "overseas",
        "斯里兰卡数字乡村示范项目技术服务协议",
        (2025, 1, 10),
        (2026, 12, 31),
        Some(1_200_000),
    ),
];

/// Chongqing's municipal bodies that partner with the college (all seated in Yubei District).
pub static CQ_GOVERNMENT: &[(&str, &str)] = &[
    (
        "重庆市教育委员会",
        "Chongqing Municipal Education Commission",
    ),
    (
        "重庆市经济和信息化委员会",
        "Chongqing Municipal Commission of Economy and Information Technology",
    ),
    (
        "重庆市人力资源和社会保障局",
        "Chongqing Municipal Bureau of Human Resources and Social Security",
    ),
    (
        "重庆市商务委员会",
        "Chongqing Municipal Commission of Commerce",
    ),
];

/// Sichuan bodies that partner with the college: name, English name, region code, city.
pub static SC_GOVERNMENT: &[(&str, &str, &str, &str)] = &[
    (
        "四川省教育厅",
        "Department of Education of Sichuan Province",
        "510000",
        "成都市",
    ),
    (
        "成都市人力资源和社会保障局",
        "Chengdu Municipal Bureau of Human Resources and Social Security",
        "510100",
        "成都市",
    ),
    (
        "绵阳市经济和信息化局",
        "Mianyang Municipal Bureau of Economy and Information Technology",
        "510700",
        "绵阳市",
    ),
    (
        "德阳市人力资源和社会保障局",
        "Deyang Municipal Bureau of Human Resources and Social Security",
        "510600",
        "德阳市",
    ),
];

/// Universities that partner with the college: name, English name, region code and address
/// prefix (empty: a county of Chengdu, drawn at random).
pub static UNIVERSITIES: &[(&str, &str, &str, &str)] = &[
    (
        "重庆渝州工程大学",
        "Chongqing Yuzhou University of Engineering",
        "500106",
        "重庆市沙坪坝区",
    ),
    (
        "重庆嘉陵理工学院",
        "Chongqing Jialing Institute of Technology",
        "500109",
        "重庆市北碚区",
    ),
    (
        "四川蜀都应用技术大学",
        "Sichuan Shudu University of Applied Technology",
        "",
        "",
    ),
];

/// Hand-written foreign partners: Chinese name, English name, country, GB/T 4754 division,
/// city, and the name of their contact person.
pub static FOREIGN: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "沙特阿拉伯吉达汽车服务公司",
        "Jeddah Automotive Services Company",
        "SA",
        "81",
        "Jeddah",
        "Faisal Al-Harbi",
    ),
    (
        "斯里兰卡科伦坡信息技术学院",
        "Colombo Institute of Information Technology",
        "LK",
        "83",
        "Colombo",
        "Chaminda Fernando",
    ),
    (
        "斯里兰卡加勒乡村发展基金会",
        "Galle Rural Development Foundation",
        "LK",
        "95",
        "Galle",
        "Nimali Jayasinghe",
    ),
    (
        "泰国曼谷汽车职业学院",
        "Bangkok Automotive Vocational College",
        "TH",
        "83",
        "Bangkok",
        "Somchai Srisuk",
    ),
    (
        "泰国春武里工业技术学院",
        "Chonburi Industrial Technology College",
        "TH",
        "83",
        "Chonburi",
        "Kanya Wongsawat",
    ),
    (
        "马来西亚吉隆坡数字技术学院",
        "Kuala Lumpur Institute of Digital Technology",
        "MY",
        "83",
        "Kuala Lumpur",
        "Ahmad Faizal bin Osman",
    ),
    (
        "印度尼西亚雅加达汽车培训中心",
        "Jakarta Automotive Training Centre",
        "ID",
        "83",
        "Jakarta",
        "Budi Santoso",
    ),
    (
        "越南河内工业职业学院",
        "Hanoi Industrial Vocational College",
        "VN",
        "83",
        "Hanoi",
        "Nguyen Van Minh",
    ),
    (
        "老挝万象职业技术学院",
        "Vientiane Vocational and Technical College",
        "LA",
        "83",
        "Vientiane",
        "Souksavanh Phommachanh",
    ),
    (
        "柬埔寨金边理工学院",
        "Phnom Penh Polytechnic College",
        "KH",
        "83",
        "Phnom Penh",
        "Sok Dara",
    ),
    (
        "巴基斯坦拉合尔技术培训学院",
        "Lahore Technical Training Institute",
        "PK",
        "83",
        "Lahore",
        "Imran Qureshi",
    ),
    (
        "哈萨克斯坦阿拉木图交通技术学院",
        "Almaty College of Transport Technology",
        "KZ",
        "83",
        "Almaty",
        "Nurlan Abenov",
    ),
    (
        "乌兹别克斯坦塔什干汽车技术学院",
        "Tashkent Automotive Technical College",
        "UZ",
        "83",
        "Tashkent",
        "Rustam Karimov",
    ),
    (
        "阿联酋迪拜汽车贸易有限责任公司",
        "Dubai Auto Trading LLC",
        "AE",
        "51",
        "Dubai",
        "Omar Al-Mansouri",
    ),
    (
        "埃及开罗技术学院",
        "Cairo Technical Institute",
        "EG",
        "83",
        "Cairo",
        "Mohamed Hassan",
    ),
    (
        "德国斯图加特汽车职业培训中心",
        "Stuttgart Automotive Vocational Training Centre",
        "DE",
        "83",
        "Stuttgart",
        "Markus Weber",
    ),
    (
        "新加坡数字媒体学院",
        "Singapore Digital Media Academy",
        "SG",
        "83",
        "Singapore",
        "Tan Wei Ling",
    ),
    (
        "俄罗斯喀山工业技术学院",
        "Kazan Industrial Technical College",
        "RU",
        "83",
        "Kazan",
        "Alexei Sokolov",
    ),
];
