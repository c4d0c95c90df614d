//! Word lists of the synthetic company: job families and their skills, names, employers,
//! schools and the fixed reference records (sources, rejection reasons, close reasons).
//!
//! Every name here is invented; e-mail addresses use the reserved `example.com` domain and
//! phone numbers the fictional 555-01xx range.

/// A family of related jobs: the department, the role names, the skills they draw on, and the
/// discipline a matching degree is in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Family {
    pub(crate) department: &'static str,
    pub(crate) roles: &'static [&'static str],
    pub(crate) skills: &'static [&'static str],
    pub(crate) discipline: &'static str,
    pub(crate) duty: &'static str,
    /// Relative chance that a required degree is a master's or a `PhD`.
    pub(crate) academic: f64,
}

pub(crate) const FAMILIES: &[Family] = &[
    Family {
        department: "Engineering",
        roles: &[
            "Backend Engineer",
            "Frontend Engineer",
            "Site Reliability Engineer",
            "Platform Engineer",
        ],
        skills: &[
            "Rust",
            "Go",
            "Python",
            "Java",
            "TypeScript",
            "React",
            "PostgreSQL",
            "Kubernetes",
            "AWS",
            "Terraform",
            "Kafka",
            "Docker",
            "GraphQL",
            "Linux",
        ],
        discipline: "Computer Science",
        duty: "design, build and run the services our customers rely on every day",
        academic: 0.15,
    },
    Family {
        department: "Data",
        roles: &[
            "Data Scientist",
            "Machine Learning Engineer",
            "Data Engineer",
            "Analytics Engineer",
        ],
        skills: &[
            "Python",
            "SQL",
            "Statistics",
            "PyTorch",
            "TensorFlow",
            "Spark",
            "Airflow",
            "dbt",
            "R",
            "Machine Learning",
            "Tableau",
            "Snowflake",
        ],
        discipline: "Statistics",
        duty: "turn our data into models and insights that shape the product",
        academic: 0.55,
    },
    Family {
        department: "Product",
        roles: &["Product Manager", "Product Designer", "UX Researcher"],
        skills: &[
            "Figma",
            "User Research",
            "Roadmapping",
            "SQL",
            "A/B Testing",
            "Prototyping",
            "Agile",
            "Jira",
            "Analytics",
            "Accessibility",
        ],
        discipline: "Human-Computer Interaction",
        duty: "shape what we build next together with engineering and our customers",
        academic: 0.2,
    },
    Family {
        department: "Sales",
        roles: &["Account Executive", "Sales Development Representative", "Solutions Consultant"],
        skills: &[
            "Salesforce",
            "Negotiation",
            "Prospecting",
            "Cold Calling",
            "Forecasting",
            "SaaS Sales",
            "HubSpot",
            "Account Management",
            "Presentations",
        ],
        discipline: "Business Administration",
        duty: "grow our customer base and help new customers succeed",
        academic: 0.05,
    },
    Family {
        department: "Marketing",
        roles: &["Content Marketing Manager", "Growth Marketer", "Product Marketing Manager"],
        skills: &[
            "SEO",
            "Google Analytics",
            "Copywriting",
            "HubSpot",
            "Paid Social",
            "Email Marketing",
            "A/B Testing",
            "Content Strategy",
            "Marketing Automation",
        ],
        discipline: "Marketing",
        duty: "tell our story to the people who need our product",
        academic: 0.1,
    },
    Family {
        department: "Finance",
        roles: &["Financial Analyst", "Accountant", "FP&A Manager"],
        skills: &[
            "Excel",
            "Financial Modeling",
            "NetSuite",
            "Forecasting",
            "GAAP",
            "SQL",
            "Budgeting",
            "Reconciliation",
        ],
        discipline: "Finance",
        duty: "keep our numbers right and help plan the company's growth",
        academic: 0.2,
    },
];

/// Skills any family may list on a profile, which no job requires.
pub(crate) const GENERIC_SKILLS: &[&str] = &[
    "Public Speaking",
    "Mentoring",
    "Project Management",
    "Technical Writing",
    "Spanish",
    "German",
];

/// Seniority prefixes with the minimum years of experience a job at that level asks for.
pub(crate) const LEVELS: &[(&str, u32)] = &[
    ("Junior ", 0),
    ("", 2),
    ("", 3),
    ("Senior ", 5),
    ("Senior ", 6),
    ("Staff ", 8),
    ("Principal ", 10),
];

/// Degree options of the `degree` custom field, by level 1..=5.
pub(crate) const DEGREES: &[&str] =
    &["High School", "Associate's Degree", "Bachelor's Degree", "Master's Degree", "PhD"];

/// How a job post states a degree requirement, by level 1..=5.
pub(crate) const DEGREE_PHRASES: &[&str] = &[
    "High School diploma or equivalent",
    "Associate degree in {d} or a related field",
    "Bachelor's degree in {d} or equivalent",
    "Master's degree in {d} or a related field",
    "PhD in {d} or a related field",
];

pub(crate) const DISCIPLINES: &[&str] = &[
    "Computer Science",
    "Statistics",
    "Mathematics",
    "Human-Computer Interaction",
    "Business Administration",
    "Marketing",
    "Finance",
    "Economics",
    "Physics",
    "English",
];

pub(crate) const SCHOOLS: &[&str] = &[
    "Northfield University",
    "Lakeshore State College",
    "Westbrook Institute of Technology",
    "Redwood Community College",
    "Harborview University",
    "Eastgate Polytechnic",
    "Pinecrest College",
    "Summit State University",
    "Riverside Academy of Sciences",
    "Meadowlands University",
];

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Avery", "Jordan", "Taylor", "Morgan", "Riley", "Casey", "Jamie", "Quinn", "Alex", "Sam",
    "Noor", "Priya", "Mateo", "Lucia", "Kenji", "Amara", "Tomasz", "Ingrid", "Kwame", "Leila",
    "Diego", "Hana", "Oskar", "Zainab", "Elif", "Rafael", "Mei", "Anders", "Chiara", "Tariq",
    "Sofia", "Nikolai", "Aisha", "Bruno", "Yuki", "Fatima", "Liam", "Chloe", "Arjun", "Maya",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Haddad",
    "Kowalski",
    "Ferreira",
    "Nguyen",
    "Schmidt",
    "Abara",
    "Castillo",
    "Ivanova",
    "Mensah",
    "Rossi",
    "Park",
    "Johansson",
    "Silva",
    "Novak",
    "Dubois",
    "Kaur",
    "Bennett",
    "Alvarez",
    "Fischer",
    "Osei",
    "Yilmaz",
    "Brennan",
    "Petrov",
    "Santos",
    "Walsh",
    "Nakamura",
    "Ali",
    "Larsen",
    "Costa",
    "Reyes",
    "Hughes",
    "Sato",
];

pub(crate) const EMPLOYER_FIRST: &[&str] = &[
    "Northwind",
    "Bluefin",
    "Copperleaf",
    "Brightpath",
    "Ironwood",
    "Silverline",
    "Quarry",
    "Lumen",
    "Cedar",
    "Harbor",
    "Nimbus",
    "Granite",
    "Orchid",
    "Pioneer",
    "Vantage",
];

pub(crate) const EMPLOYER_SECOND: &[&str] =
    &["Labs", "Analytics", "Systems", "Health", "Logistics", "Media", "Bank", "Retail", "Software"];

/// Offices: name and city.
pub(crate) const OFFICES: &[(&str, &str)] = &[
    ("New York", "New York, NY"),
    ("San Francisco", "San Francisco, CA"),
    ("Austin", "Austin, TX"),
    ("London", "London, UK"),
    ("Berlin", "Berlin, Germany"),
    ("Remote", "Anywhere"),
];

/// Sources: name and source type.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("LinkedIn", "Third-party boards"),
    ("Indeed", "Job boards"),
    ("Company Website", "Company marketing"),
    ("Employee Referral", "Referral"),
    ("Talent Partners Agency", "Agencies"),
    ("University Career Fair", "Events"),
    ("Sourced by Recruiter", "Prospecting"),
];

/// Index in [`SOURCES`] of the referral source.
pub(crate) const REFERRAL_SOURCE: usize = 3;

/// Relative weights of [`SOURCES`].
pub(crate) const SOURCE_WEIGHTS: &[f64] = &[0.3, 0.2, 0.2, 0.1, 0.05, 0.05, 0.1];

/// Rejection reasons: name and type key.
pub(crate) const REJECTION_REASONS: &[(&str, &str)] = &[
    ("Lacking skill(s)/qualification(s)", "WE_REJECTED_THEM"),
    ("Not enough experience", "WE_REJECTED_THEM"),
    ("Did not pass interview", "WE_REJECTED_THEM"),
    ("Hired another candidate", "WE_REJECTED_THEM"),
    ("Withdrew application", "THEY_REJECTED_US"),
    ("Accepted another offer", "THEY_REJECTED_US"),
    ("Compensation expectations", "THEY_REJECTED_US"),
    ("Other (add notes below)", "NONE_SPECIFIED"),
];

/// Close reasons of openings.
pub(crate) const CLOSE_REASONS: &[&str] =
    &["Hire - New Headcount", "Hire - Backfill", "Position cancelled", "Budget freeze"];

/// Interview stages every job has, in order.
pub(crate) const STAGES: &[&str] =
    &["Application Review", "Phone Screen", "Technical Interview", "Onsite", "Offer"];

/// Short scorecard notes (free text, so privacy filters have something to drop).
pub(crate) const SCORECARD_NOTES: &[&str] = &[
    "Clear communicator, walked through past projects in detail.",
    "Struggled with the practical exercise.",
    "Strong fundamentals; would like a second opinion on depth.",
    "Good questions about the team and the roadmap.",
];
