"""The company the demo generator builds: its name, divisions, departments, roles and ladders.

Written for Ecotone. Each division lists its departments (with the roles people hold there, the
most common first) and names for the squads that form below them in larger companies.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_NAME = "Larkspur"
COMPANY_DOMAIN = "larkspur.example"  # .example is reserved: no demo e-mail reaches anyone
COMPANY_DESCRIPTION = (
    "Larkspur makes scheduling, billing and patient-messaging software for independent clinics."
)
YEARS_OF_HISTORY = 8

TECH_LADDER = ("Junior", "", "Senior", "Staff", "Principal")
BUSINESS_LADDER = ("Junior", "", "Senior", "Lead")
DIVISION_STAFF_ROLES = ("Program Manager", "Business Operations Manager")
SUB_TEAM_SUFFIXES = (
    "Core",
    "Experience",
    "Reliability",
    "Tooling",
    "Insights",
    "Integrations",
    "Foundations",
    "Operations",
    "Quality",
    "Automation",
    "Enablement",
    "Growth",
)
LEARNING_TITLE = "Learning & Development Partner"
ADMIN_TITLE = "IT Administrator"


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Division:
    name: str
    weight: int
    description: str
    head_title: str
    director_title: str
    manager_title: str
    ladder: tuple[str, ...]
    departments: tuple[Department, ...]
    squads: tuple[str, ...]

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(role for d in self.departments for role in d.roles))


def _department(name: str, *roles: str) -> Department:
    return Department(name, roles)


DIVISIONS: tuple[Division, ...] = (
    Division(
        "Engineering",
        28,
        "Builds and runs the Larkspur platform: the clinic app, payments and the APIs.",
        "Chief Technology Officer",
        "Director of Engineering",
        "Engineering Manager",
        TECH_LADDER,
        (
            _department("Platform", "Software Engineer", "Site Reliability Engineer"),
            _department("Payments", "Software Engineer", "QA Engineer"),
            _department("Mobile", "Mobile Engineer", "QA Engineer"),
            _department("Web", "Frontend Engineer", "Software Engineer"),
            _department("Infrastructure", "Site Reliability Engineer", "Cloud Engineer"),
            _department("Developer Experience", "Software Engineer", "Build Engineer"),
            _department("Search", "Software Engineer", "Search Relevance Engineer"),
            _department("Identity", "Software Engineer", "Security Engineer"),
            _department("Integrations", "Software Engineer", "Integration Engineer"),
            _department("Quality", "QA Engineer", "Test Automation Engineer"),
        ),
        (
            "Checkout",
            "Billing",
            "Ledger",
            "Onboarding",
            "Notifications",
            "Storage",
            "Networking",
            "Observability",
            "Release",
            "Accounts",
            "Messaging",
            "Scheduling",
            "Reporting",
            "Ingestion",
            "Edge",
            "Localisation",
            "Accessibility",
        ),
    ),
    Division(
        "Product",
        7,
        "Decides what Larkspur builds next, with clinics, and why.",
        "Chief Product Officer",
        "Group Product Manager",
        "Product Lead",
        BUSINESS_LADDER,
        (
            _department("Core Product", "Product Manager", "Product Analyst"),
            _department("Growth", "Product Manager", "Growth Analyst"),
            _department("Enterprise", "Product Manager", "Technical Product Manager"),
            _department("Product Operations", "Product Operations Specialist", "Technical Writer"),
            _department("Platform Product", "Technical Product Manager", "Product Manager"),
        ),
        (
            "Activation",
            "Retention",
            "Monetisation",
            "Collaboration",
            "Admin Experience",
            "Analytics",
            "Marketplace",
            "Mobile Experience",
            "Workflows",
            "Patient Experience",
        ),
    ),
    Division(
        "Design",
        4,
        "Research, product design, content design and the design system.",
        "VP of Design",
        "Design Director",
        "Design Manager",
        TECH_LADDER,
        (
            _department("Product Design", "Product Designer", "Interaction Designer"),
            _department("User Research", "UX Researcher"),
            _department("Content Design", "Content Designer", "UX Writer"),
            _department("Design Systems", "Design Systems Designer", "Frontend Engineer"),
            _department("Brand Design", "Brand Designer", "Motion Designer"),
        ),
        (
            "Design Ops",
            "Research Ops",
            "Patterns",
            "Illustration",
            "Inclusive Design",
            "Mobile Design",
            "Web Design",
            "Prototyping",
        ),
    ),
    Division(
        "Data",
        7,
        "Analytics, data science, machine learning and the data platform.",
        "VP of Data",
        "Director of Data",
        "Analytics Manager",
        TECH_LADDER,
        (
            _department("Analytics", "Data Analyst", "Analytics Engineer"),
            _department("Data Science", "Data Scientist"),
            _department("Data Engineering", "Data Engineer"),
            _department("Machine Learning", "Machine Learning Engineer", "Data Scientist"),
            _department("Business Intelligence", "BI Developer", "Data Analyst"),
        ),
        (
            "Forecasting",
            "Experimentation",
            "Recommendations",
            "Pipelines",
            "Warehouse",
            "Metrics",
            "Pricing Models",
            "Fraud Detection",
            "Customer Insights",
            "Data Quality",
        ),
    ),
    Division(
        "Sales",
        16,
        "Brings Larkspur to clinics and groups of clinics around the world.",
        "Chief Revenue Officer",
        "Sales Director",
        "Sales Manager",
        BUSINESS_LADDER,
        (
            _department("Enterprise Sales", "Account Executive", "Solutions Engineer"),
            _department("Mid-Market Sales", "Account Executive"),
            _department("Sales Development", "Sales Development Representative"),
            _department("Partnerships", "Partner Manager", "Alliance Manager"),
            _department("Account Management", "Account Manager", "Renewals Specialist"),
            _department("Sales Operations", "Sales Operations Analyst", "Deal Desk Specialist"),
            _department("Solutions Engineering", "Solutions Engineer", "Solutions Architect"),
        ),
        (
            "EMEA North",
            "EMEA South",
            "DACH",
            "France & Benelux",
            "North America East",
            "North America West",
            "Latin America",
            "APAC",
            "India",
            "Africa",
            "Nordics",
            "Public Sector",
            "Hospital Groups",
            "Dental",
            "Veterinary",
        ),
    ),
    Division(
        "Customer Support",
        14,
        "Helps clinics every hour of the day, in eleven languages.",
        "VP of Customer Support",
        "Director of Customer Support",
        "Support Team Lead",
        BUSINESS_LADDER,
        (
            _department("Frontline Support", "Customer Support Specialist"),
            _department("Technical Support", "Technical Support Engineer"),
            _department("Customer Success", "Customer Success Manager"),
            _department("Onboarding", "Onboarding Specialist", "Implementation Consultant"),
            _department(
                "Support Operations", "Support Operations Analyst", "Knowledge Base Editor"
            ),
        ),
        (
            "Tier 1",
            "Tier 2",
            "Escalations",
            "Billing Support",
            "Enterprise Care",
            "Chat",
            "Community",
            "EMEA Shift",
            "Americas Shift",
            "APAC Shift",
            "Support Quality",
            "Support Training",
        ),
    ),
    Division(
        "Marketing",
        7,
        "Tells clinics what Larkspur does for them, and listens back.",
        "Chief Marketing Officer",
        "Marketing Director",
        "Marketing Manager",
        BUSINESS_LADDER,
        (
            _department("Product Marketing", "Product Marketing Manager"),
            _department("Growth Marketing", "Growth Marketer", "Marketing Analyst"),
            _department("Brand & Communications", "Communications Manager", "Copywriter"),
            _department("Content", "Content Marketer", "Editor"),
            _department("Events", "Event Manager"),
            _department("Marketing Operations", "Marketing Operations Specialist"),
        ),
        (
            "Campaigns",
            "SEO",
            "Lifecycle",
            "Social",
            "Website",
            "Community",
            "Analyst Relations",
            "Customer Stories",
            "Paid Media",
            "Partner Marketing",
        ),
    ),
    Division(
        "People",
        5,
        "Hiring, growing and looking after the people of Larkspur.",
        "Chief People Officer",
        "People Director",
        "People Team Lead",
        BUSINESS_LADDER,
        (
            _department("Talent Acquisition", "Recruiter", "Sourcer", "Recruiting Coordinator"),
            _department("People Partners", "HR Business Partner"),
            _department("Learning & Development", LEARNING_TITLE, "Learning Experience Designer"),
            _department("People Operations", "People Operations Specialist", "HRIS Analyst"),
            _department("Total Rewards", "Compensation Analyst", "Benefits Specialist"),
            _department("Workplace", "Workplace Coordinator", "Office Manager"),
        ),
        (
            "Engineering Hiring",
            "Go-to-Market Hiring",
            "Early Careers",
            "New Joiners",
            "Leadership Development",
            "Employee Experience",
            "Wellbeing",
            "Inclusion",
            "Internal Mobility",
        ),
    ),
    Division(
        "Finance",
        4,
        "Money in, money out, contracts and compliance.",
        "Chief Financial Officer",
        "Finance Director",
        "Finance Manager",
        BUSINESS_LADDER,
        (
            _department("Accounting", "Accountant", "Accounts Payable Specialist"),
            _department("Financial Planning & Analysis", "Financial Analyst"),
            _department("Procurement", "Procurement Specialist"),
            _department("Legal", "Legal Counsel", "Paralegal"),
            _department("Tax & Treasury", "Tax Specialist", "Treasury Analyst"),
            _department("Payroll", "Payroll Specialist"),
        ),
        (
            "Revenue Accounting",
            "Month-End Close",
            "Billing Operations",
            "Budgeting",
            "Planning",
            "Vendor Management",
            "Contracts",
            "Compliance",
            "Internal Audit",
            "Expenses",
        ),
    ),
    Division(
        "Security",
        4,
        "Keeps patients' data and the company safe; runs corporate IT.",
        "Chief Information Security Officer",
        "Director of Security",
        "Security Manager",
        TECH_LADDER,
        (
            _department("Security Engineering", "Security Engineer"),
            _department("Security Operations", "Security Analyst", "Incident Responder"),
            _department("Governance, Risk & Compliance", "GRC Analyst"),
            _department("Corporate IT", ADMIN_TITLE, "IT Support Specialist"),
            _department("Application Security", "Application Security Engineer"),
        ),
        (
            "Detection",
            "Vulnerability Management",
            "Identity & Access",
            "Cloud Security",
            "Red Team",
            "Privacy",
            "Endpoints",
            "Help Desk",
            "Audit Readiness",
            "Threat Intelligence",
        ),
    ),
)
DIVISIONS_BY_NAME = {division.name: division for division in DIVISIONS}
