"""Demo data for AutoSales."""

# One demo login per role, created by ``autosales seed`` and printed by ``make demo``.
DEMO_PASSWORD = "autosales2026"
DEMO_USERS = (
    # username, role, store code (None for group-wide), family name, given name
    ("admin", "admin", None, "管", "理员"),
    ("gm", "general_manager", None, "陈", "总"),
    ("manager.sh01", "sales_manager", "SH01", "王", "经理"),
    ("sales.sh01", "salesperson", "SH01", "李", "娜"),
    ("finance.sh01", "finance", "SH01", "赵", "敏"),
    ("service.sh01", "aftersales", "SH01", "刘", "洋"),
)
