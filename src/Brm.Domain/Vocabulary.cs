namespace Brm.Domain;

// Closed vocabularies shared by the capabilities. The numbers match the brm.v1 enums, 0 being "unspecified"
// there and never valid here.

public enum Channel
{
    Email = 1,
    Chat = 2,
    FaceToFace = 3,
    TeamMeeting = 4,
    Intranet = 5,
    Newsletter = 6,
    Phone = 7,

    /// <summary>The service's own feedback form, reached through a personal link.</summary>
    WebForm = 8,
}

public enum Degree
{
    Low = 1,
    Medium = 2,
    High = 3,
}

public enum Priority
{
    Low = 1,
    Medium = 2,
    High = 3,
}

public enum StakeholderLevel
{
    Executive = 1,
    Manager = 2,
    Staff = 3,
}

public enum MaturitySide
{
    Business = 1,
    It = 2,
}

public enum MaturityLevel
{
    AdHoc = 1,
    OrderTaker = 2,
    ServiceProvider = 3,
    TrustedAdvisor = 4,
    StrategicPartner = 5,
}

public enum CommitmentDirection
{
    ItToBusiness = 1,
    BusinessToIt = 2,
}

public enum CommitmentStatus
{
    Open = 1,
    InProgress = 2,
    Delivered = 3,
    Cancelled = 4,
}

public enum SourceKind
{
    Meeting = 1,
    Feedback = 2,
    Other = 3,
}
