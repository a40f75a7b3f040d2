namespace Brm.Cli.Commands;

/// <summary>
/// The demo organisation's data: six departments, their people at every level, what they need and how they want
/// to hear from IT. What happens with them (meetings, promises, feedback, plans) is scripted in <see cref="DemoCommands"/>.
/// </summary>
internal static class DemoOrganisation
{
    /// <summary>A person: name, title, level, influence, interest (the first is the department's executive).</summary>
    public sealed record Person(string Name, string Title, string Level, string Influence, string Interest)
    {
        public string Email(string domain) => $"{Name.ToLowerInvariant().Replace(' ', '.').Replace("'", "", StringComparison.Ordinal)}@{domain}";
    }

    /// <summary>
    /// A department and what the BRM has learned about it. The two questions: whether the BRM has asked what it needs
    /// (its needs are recorded) and how it wants to hear (its preference is recorded); both by default.
    /// </summary>
    public sealed record Department(
        string Code, string Name, Person[] People, string[] Needs, string PreferredChannel, string PreferredAudience,
        int BusinessMaturity, int ItMaturity, string RaisedConcern, string RaisedRequest, string Praise)
    {
        public bool NeedsAsked { get; init; } = true;

        public bool PreferencesAsked { get; init; } = true;
    }

    public const string Domain = "example.com";

    public static readonly Department[] Departments =
    [
        new("finance", "Finance",
            [
                new("Margaret Chen", "Chief Financial Officer", "executive", "high", "medium"),
                new("David Okafor", "Head of Accounts Payable", "manager", "high", "high"),
                new("Sofia Lindqvist", "Financial Controller", "manager", "medium", "high"),
                new("Tom Becker", "Accounts Payable Clerk", "staff", "low", "high"),
                new("Aisha Rahman", "Payroll Specialist", "staff", "low", "medium"),
                new("Lucas Moreau", "Management Accountant", "staff", "medium", "medium"),
                new("Grace Kim", "Treasury Analyst", "staff", "low", "low"),
            ],
            ["Month-end close: planned outages of the ERP", "Status of the invoice-scanning project"], "email", "finance leadership", 2, 3,
            "The ERP is slow on the last working day of the month", "An export of open invoices to Excel", "The new expense app saves us hours"),
        new("hr", "Human Resources",
            [
                new("Hannah Ito", "HR Director", "executive", "high", "high"),
                new("Peter Novak", "Head of Recruiting", "manager", "medium", "high"),
                new("Olivia Brown", "HR Business Partner", "manager", "medium", "medium"),
                new("Samuel Lee", "Recruiter", "staff", "low", "high"),
                new("Emma Rossi", "HR Administrator", "staff", "low", "medium"),
                new("Noah Fischer", "Learning Coordinator", "staff", "low", "medium"),
            ],
            ["Changes to the HR system and when they land"], "face-to-face", "HR leadership team", 3, 3,
            "New starters wait a week for a laptop", "Single sign-on for the learning portal", "Onboarding checklists work well now"),
        new("sales", "Sales",
            [
                new("Ricardo Alvarez", "Sales Director", "executive", "high", "low"),
                new("Julia Wagner", "Regional Sales Manager", "manager", "high", "medium"),
                new("Kenji Sato", "Key Account Manager", "manager", "medium", "medium"),
                new("Chloe Dubois", "Sales Representative", "staff", "low", "high"),
                new("Ben Carter", "Sales Representative", "staff", "low", "high"),
                new("Maya Patel", "Sales Operations Analyst", "staff", "medium", "high"),
                new("Liam O'Brien", "Inside Sales", "staff", "low", "medium"),
            ],
            ["CRM outages and mobile access", "Quarterly roadmap of sales tools"], "chat", "all sales staff", 2, 2,
            "The CRM app logs us out on the road", "Quotes signed on a tablet", "Fast help when the CRM was down"),
        new("operations", "Operations",
            [
                new("Fatima Haddad", "Chief Operating Officer", "executive", "high", "high"),
                new("George Miller", "Warehouse Manager", "manager", "high", "high"),
                new("Ingrid Johansson", "Logistics Manager", "manager", "medium", "medium"),
                new("Carlos Mendes", "Shift Supervisor", "staff", "medium", "high"),
                new("Yusuf Demir", "Forklift Operator", "staff", "low", "medium"),
                new("Anna Kowalski", "Planner", "staff", "low", "high"),
                new("Mark Evans", "Quality Inspector", "staff", "low", "low"),
            ],
            ["Scanner and Wi-Fi maintenance windows in the warehouse"], "team-meeting", "shift supervisors", 1, 2,
            "Handheld scanners lose Wi-Fi in aisle 12", "Dashboards on the warehouse screens", "The night-shift hotline answered at 3am")
        {
            PreferencesAsked = false, // the BRM knows what Operations needs, not yet how it wants to hear it
        },
        new("legal", "Legal",
            [
                new("Elizabeth Grant", "General Counsel", "executive", "high", "medium"),
                new("Daniel Weiss", "Senior Legal Counsel", "manager", "medium", "medium"),
                new("Priya Nair", "Paralegal", "staff", "low", "medium"),
                new("Oscar Lindberg", "Contracts Administrator", "staff", "low", "high"),
                new("Nadia Petrova", "Compliance Officer", "manager", "high", "high"),
            ],
            ["Data protection incidents, told within the day", "Retention of e-mail archives"], "email", "legal team", 3, 4,
            "Contract search cannot find scanned PDFs", "E-signature for NDAs", "Clear answers on data retention"),
        new("marketing", "Marketing",
            [
                new("Sophie Laurent", "Marketing Director", "executive", "high", "medium"),
                new("Ethan Wright", "Digital Marketing Manager", "manager", "medium", "high"),
                new("Mia Schneider", "Content Manager", "manager", "low", "medium"),
                new("Leo Rossi", "Graphic Designer", "staff", "low", "high"),
                new("Zoe Martin", "Social Media Specialist", "staff", "low", "high"),
                new("Adam Nowak", "Marketing Analyst", "staff", "medium", "medium"),
            ],
            ["Website release dates and freezes"], "newsletter", "all marketing staff", 2, 1,
            "Large video files cannot be shared with agencies", "A shared asset library", "The website stayed up during the launch")
        {
            NeedsAsked = false, PreferencesAsked = false, // nobody has asked Marketing the two questions yet
        },
    ];
}
