//! Name and street pools for synthetic electors. Common names of the North West's
//! communities, so the demo reads like a real register; no real person is described.

pub const FEMALE: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Freya", "Ella",
    "Jessica", "Sarah", "Emma", "Laura", "Rebecca", "Hannah", "Charlotte", "Lucy", "Claire",
    "Karen", "Susan", "Margaret", "Patricia", "Linda", "Joan", "Dorothy", "Jean", "Pauline",
    "Julie", "Tracey", "Nicola", "Joanne", "Gemma", "Amy", "Chloe", "Megan", "Zara", "Ayesha",
    "Fatima", "Aisha", "Maryam", "Sana", "Nadia", "Agnieszka", "Katarzyna", "Anna", "Siobhan",
    "Niamh", "Bethan", "Carys", "Rhian", "Siân", "Zoë", "Chloé",
];

pub const MALE: &[&str] = &[
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "James",
    "William", "Daniel", "Matthew", "Michael", "David", "John", "Paul", "Peter", "Stephen",
    "Mark", "Andrew", "Richard", "Robert", "Gary", "Kevin", "Brian", "Keith", "Alan", "Derek",
    "Colin", "Graham", "Ian", "Liam", "Ryan", "Connor", "Mohammed", "Imran", "Bilal", "Hamza",
    "Usman", "Adil", "Tomasz", "Piotr", "Krzysztof", "Sean", "Declan", "Rhys", "Dafydd", "Iolo",
    "Gethin", "José", "Luca",
];

pub const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Hughes", "Edwards", "Lee", "Turner", "Hill", "Cooper", "Harris",
    "Ward", "Morris", "Moore", "Clark", "Baker", "Harrison", "Morgan", "Patel", "Young", "Allen",
    "Mitchell", "James", "Anderson", "Phillips", "Lewis", "Bennett", "Holt", "Ashworth",
    "Haworth", "Kay", "Schofield", "Howarth", "Lord", "Whittaker", "Greenhalgh", "Hussain",
    "Khan", "Ahmed", "Ali", "Iqbal", "Shah", "Akhtar", "Kowalski", "Nowak", "Wiśniewski",
    "O'Brien", "Murphy", "Kelly", "McCarthy", "Llewellyn", "ap Rhys", "Ní Bhriain", "Pryce",
];

pub const STREET_STEMS: &[&str] = &[
    "Bolton", "Walmersley", "Tottington", "Brandlesholme", "Ainsworth", "Bury", "Church",
    "Mill", "Chapel", "Market", "Victoria", "Albert", "Peel", "Holcombe", "Rochdale",
    "Manchester", "Moorside", "Redvales", "Elton", "Dale", "Brook", "Park", "Station",
    "Queen", "King", "Hollins", "Openshaw", "Woolfold", "Tanpits", "Fernhill", "Limefield",
    "Chesham", "Clarence", "Hornby", "Openshaw", "Knowsley", "Lowercroft", "Hawkshaw",
    "Greenmount", "Summerseat", "Nangreaves", "Birtle", "Shuttleworth", "Ramsbottom", "Stubbins",
    "Edenfield", "Whalley", "Bentley", "Crostons", "Parkhills", "Seedfield", "Sunnybank",
    "Ashbourne", "Belvedere", "Carr", "Deeplish", "Fishpool", "Garside", "Hazel", "Ivy",
    "Juniper", "Kenyon", "Laurel", "Maple", "Nuttall", "Orchard", "Primrose", "Rowan",
    "Sycamore", "Thorn", "Willow", "Yew", "Alder", "Beech", "Cedar", "Elm", "Heather",
];

pub const STREET_KINDS: &[&str] = &[
    "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Grove", "Way", "Crescent", "Terrace",
    "Place", "Gardens", "Walk", "Fold", "Brow",
];
