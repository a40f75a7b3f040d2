using Microsoft.OpenApi.Models;

namespace Brm.Api.Hosting;

/// <summary>
/// The OpenAPI document of the HTTP/JSON routes (the <c>google.api.http</c> annotations in protos/), with the proto
/// comments as descriptions, at <c>GET /openapi/v1.json</c>. The document is public; the routes need a bearer token.
/// </summary>
public static class OpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    public static void AddOpenApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpcSwagger();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "BRM CRM",
                Version = "v1",
                Description = "The read side of brm.v1 over HTTP/JSON: GET routes for every Get, List and report RPC. " +
                              "Send `Authorization: Bearer <token>`; errors answer a google.rpc.Status as JSON.",
            });
            var comments = Path.Combine(AppContext.BaseDirectory, "Brm.Api.xml");
            if (File.Exists(comments))
            {
                options.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }

            var bearer = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" },
            };
            options.AddSecurityDefinition("bearer", bearer);
            options.AddSecurityRequirement(new OpenApiSecurityRequirement { [bearer] = [] });
        });
    }

    public static void UseOpenApiDocument(this WebApplication app) =>
        app.UseSwagger(options => options.RouteTemplate = "openapi/{documentName}.json");
}
