using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Brm.Api.Infrastructure;

/// <summary>One key of the service's Data Protection key ring, as the XML Data Protection writes, stored in PostgreSQL.</summary>
public sealed class DataProtectionKey
{
    /// <summary>Data Protection's name for the key ("key-" and its id).</summary>
    public string Id { get; set; } = "";

    public string Xml { get; set; } = "";
}

/// <summary>
/// The key ring that seals page tokens (<see cref="PageCursors"/>): ASP.NET Core Data Protection, application name
/// "brm", with its keys in the service's own database (<see cref="DataProtectionKey"/> documents), so every node on
/// that database seals and verifies with the same keys. Data Protection creates, rolls (every 90 days) and keeps keys.
/// </summary>
public static class PageTokenKeys
{
    public static void AddPageTokens(this IServiceCollection services)
    {
        services.ConfigureMarten(options => options.Schema.For<DataProtectionKey>());
        services.AddDataProtection().SetApplicationName("brm");
        services.AddOptions<KeyManagementOptions>()
            // The store is resolved when the ring is first read, not when Data Protection is: building the host (e.g. for the
            // dev-token command, while the service runs) must not start (and so take over) the local PostgreSQL.
            .Configure<IServiceProvider>((options, services) =>
                options.XmlRepository = new MartenXmlRepository(new Lazy<IDocumentStore>(services.GetRequiredService<IDocumentStore>)));
        services.AddSingleton<PageCursors>();
    }

    /// <summary>
    /// Data Protection's <see cref="IXmlRepository"/> over Marten. The interface is synchronous: it is called when the
    /// key ring is first read, when a key is made, and when the cached ring expires (at most daily), not per request.
    /// </summary>
    private sealed class MartenXmlRepository(Lazy<IDocumentStore> store) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => ReadAsync().GetAwaiter().GetResult();

        public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

        private async Task<IReadOnlyCollection<XElement>> ReadAsync()
        {
            await using var session = store.Value.QuerySession();
            var keys = await session.Query<DataProtectionKey>().ToListAsync();
            return [.. keys.Select(key => XElement.Parse(key.Xml))];
        }

        private async Task StoreAsync(XElement element, string friendlyName)
        {
            await using var session = store.Value.LightweightSession();
            session.Store(new DataProtectionKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
            await session.SaveChangesAsync();
        }
    }
}
