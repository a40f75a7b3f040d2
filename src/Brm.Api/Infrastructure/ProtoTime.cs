using Google.Protobuf.WellKnownTypes;

namespace Brm.Api.Infrastructure;

public static class ProtoTime
{
    public static Timestamp ToProto(this DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static Timestamp? ToProto(this DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;
}
