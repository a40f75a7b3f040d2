using System.Net;
using System.Text.Json;
using Brm.Api.Security;
using Brm.Api.Tests.Support;
using static Brm.Api.Tests.Support.Builders;

namespace Brm.Api.Tests;

/// <summary>The HTTP/JSON routes (gRPC JSON transcoding), called as a reporting tool or curl would: plain GETs.</summary>
public sealed class HttpJsonTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Reporter => api.HttpWith(TestTokens.For("bi.loader", Role.Reporter));

    [Fact]
    public async Task A_reporter_reads_finances_health_as_json_by_its_department_code()
    {
        var code = UniqueCode("finance");
        var finance = await api.Relationships.RegisterAsync(name: "Finance", code: code);

        using var department = await GetJsonAsync(Reporter, $"/v1/departments/{code}", HttpStatusCode.OK);
        var relationship = department.RootElement.GetProperty("relationship");
        Assert.Equal(finance.Id, relationship.GetProperty("id").GetString());
        Assert.Equal("Finance", relationship.GetProperty("name").GetString());

        using var health = await GetJsonAsync(Reporter, $"/v1/relationships/{finance.Id}/health", HttpStatusCode.OK);
        Assert.Equal(finance.Id, health.RootElement.GetProperty("relationshipId").GetString());
        var signals = health.RootElement.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("contact_recency", signals);
        Assert.Contains("coverage", signals);
    }

    [Fact]
    public async Task Query_parameters_fill_the_request_and_lists_page_as_over_grpc()
    {
        var manager = "brm." + Guid.NewGuid().ToString("N")[..8];
        var first = await api.Relationships.RegisterAsync(name: "Alpha", manager: manager);
        var second = await api.Relationships.RegisterAsync(name: "Beta", manager: manager);

        using var page1 = await GetJsonAsync(Reporter, $"/v1/relationships?manager={manager}&page_size=1", HttpStatusCode.OK);
        var token = page1.RootElement.GetProperty("nextPageToken").GetString();
        using var page2 = await GetJsonAsync(Reporter, $"/v1/relationships?manager={manager}&page_size=1&page_token={Uri.EscapeDataString(token!)}", HttpStatusCode.OK);

        string Only(JsonDocument page) => Assert.Single(page.RootElement.GetProperty("relationships").EnumerateArray()).GetProperty("id").GetString()!;
        Assert.Equal([first.Id, second.Id], [Only(page1), Only(page2)]);
    }

    [Fact]
    public async Task Refusals_get_their_http_status_and_a_json_status_naming_the_field_or_the_reason()
    {
        var finance = await api.Relationships.RegisterAsync();

        using var anonymous = await GetJsonAsync(api.HttpWith(null), $"/v1/relationships/{finance.Id}/health", HttpStatusCode.Unauthorized);
        Assert.Contains("bearer token", anonymous.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var badId = await GetJsonAsync(Reporter, "/v1/relationships/not-a-uuid/health", HttpStatusCode.BadRequest);
        Assert.Contains("relationship_id", badId.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        var violation = Assert.Single(Assert.Single(badId.RootElement.GetProperty("details").EnumerateArray()).GetProperty("fieldViolations").EnumerateArray());
        Assert.Equal("relationship_id", violation.GetProperty("field").GetString());

        using var unknown = await GetJsonAsync(Reporter, $"/v1/relationships/{Guid.NewGuid()}/health", HttpStatusCode.NotFound);
        Assert.Equal(5, unknown.RootElement.GetProperty("code").GetInt32());

        var roleless = api.HttpWith(TestTokens.For("nobody", role: null));
        using var denied = await GetJsonAsync(roleless, "/v1/portfolio", HttpStatusCode.Forbidden);
        Assert.Equal(7, denied.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_feed_streams_as_json_objects_up_to_caught_up()
    {
        var finance = await api.Relationships.RegisterAsync();
        await api.WaitForProjectionsAsync(); // the feed reads up to the high-water mark

        var response = await Reporter.GetAsync($"/v1/events?relationship_ids={finance.Id}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"departmentRegistered\"", body, StringComparison.Ordinal);
        Assert.Contains("\"caughtUp\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_and_the_bearer_scheme()
    {
        using var document = await GetJsonAsync(api.HttpWith(null), "/openapi/v1.json", HttpStatusCode.OK);

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/relationships/{relationshipId}/health", paths);
        Assert.Contains("/v1/departments/{code}", paths);
        Assert.Contains("/v1/portfolio", paths);
        Assert.Contains("/v1/managers/{manager}/agenda", paths);
        Assert.All(document.RootElement.GetProperty("paths").EnumerateObject(),
            path => Assert.Equal(["get"], path.Value.EnumerateObject().Select(o => o.Name)));
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }
}
