//! The record types of this module, described once (see `crate::schema` for the engine).

use crate::labels::{l, EnumTable};
use crate::schema::{f, key, req, Field, Kind, ResourceDef};

pub static CIRCLE: EnumTable = EnumTable {
    labels: &[
        l("in", "是", "In"),
        l("out", "否", "Out"),
        l("partial", "部分", "Partial"),
    ],
    aliases: &[],
};

pub static INDUSTRY_LEVELS: EnumTable = EnumTable {
    labels: &[
        l("section", "门类", "Section"),
        l("division", "大类", "Division"),
    ],
    aliases: &[],
};

pub static REGION_LEVELS: EnumTable = EnumTable {
    labels: &[
        l("province", "省", "Province"),
        l("city", "市", "City"),
        l("county", "县", "County"),
    ],
    aliases: &[("省级", "province"), ("地级", "city"), ("县级", "county")],
};

pub static REGIONS: ResourceDef = ResourceDef {
    name: "regions",
    table: "regions",
    zh: "行政区划",
    en: "Administrative divisions",
    fields: &[
        key("code", "区划代码", "Code", Kind::Text { max: 6 }),
        req("name", "名称", "Name", Kind::Text { max: 60 }),
        req("level", "级别", "Level", Kind::Enum(&REGION_LEVELS)),
        f(
            "parent_code",
            "上级代码",
            "Parent code",
            Kind::Text { max: 6 },
        ),
        f(
            "in_circle",
            "成渝地区双城经济圈",
            "In the Chengdu–Chongqing Economic Circle",
            Kind::Enum(&CIRCLE),
        ),
    ],
    search: &["code", "name"],
    order: "code",
    check: super::check_region,
    ..ResourceDef::NEW
};

pub static COUNTRIES: ResourceDef = ResourceDef {
    name: "countries",
    table: "countries",
    zh: "国家和地区",
    en: "Countries",
    fields: &[
        key("alpha2", "二位代码", "ISO alpha-2", Kind::Text { max: 2 }),
        req("alpha3", "三位代码", "ISO alpha-3", Kind::Text { max: 3 }),
        req("numeric", "数字代码", "ISO numeric", Kind::Text { max: 3 }),
        req(
            "name_zh",
            "中文名称",
            "Chinese name",
            Kind::Text { max: 60 },
        ),
        req(
            "name_en",
            "英文名称",
            "English name",
            Kind::Text { max: 100 },
        ),
        req(
            "belt_and_road",
            "一带一路",
            "Belt and Road partner",
            Kind::Flag,
        ),
    ],
    search: &["alpha2", "name_zh", "name_en"],
    order: "alpha2",
    label: "name_zh",
    ..ResourceDef::NEW
};

pub static INDUSTRIES: ResourceDef = ResourceDef {
    name: "industries",
    table: "industries",
    zh: "国民经济行业分类",
    en: "Industries (GB/T 4754-2017)",
    fields: &[
        key("code", "代码", "Code", Kind::Text { max: 4 }),
        req("level", "层级", "Level", Kind::Enum(&INDUSTRY_LEVELS)),
        req("section", "门类", "Section", Kind::Text { max: 1 }),
        req(
            "name_zh",
            "中文名称",
            "Chinese name",
            Kind::Text { max: 100 },
        ),
        req(
            "name_en",
            "英文名称",
            "English name",
            Kind::Text { max: 200 },
        ),
    ],
    search: &["code", "name_zh", "name_en"],
    order: "code",
    label: "name_zh",
    ..ResourceDef::NEW
};

pub static KEY_INDUSTRIES: ResourceDef = ResourceDef {
    name: "key_industries",
    table: "key_industries",
    zh: "重点服务产业",
    en: "Key industries",
    fields: &[
        Field {
            unique: true,
            ..req(
                "industry_code",
                "行业代码",
                "Industry code",
                Kind::RefCode {
                    resource: "industries",
                    column: "code",
                },
            )
        },
        req("label", "产业名称", "Label", Kind::Text { max: 60 }),
    ],
    search: &["label"],
    order: "industry_code",
    label: "label",
    ..ResourceDef::NEW
};
