using Brm.Api.Tests.Support;
using Brm.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace Brm.Api.Tests;

public sealed class HostTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Health_is_serving_while_the_database_answers()
    {
        var health = await new Health.HealthClient(api.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_brm_services()
    {
        using var call = new ServerReflection.ServerReflectionClient(api.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains(RelationshipService.Descriptor.FullName, services);
        Assert.Contains(MeetingService.Descriptor.FullName, services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
