using Brm.V1;
using Grpc.Core;

namespace Brm.Api.Outreach;

/// <summary>PLACEHOLDER on the outreach branch: replaced before it merges.</summary>
public sealed class Digests
{
    public Task<SetDigestPreferencesResponse> SetPreferences(SetDigestPreferencesRequest request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, "not yet"));

    public Task<GetDigestPreferencesResponse> GetPreferences(GetDigestPreferencesRequest request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, "not yet"));

    public Task<PreviewDigestResponse> Preview(PreviewDigestRequest request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, "not yet"));

}
