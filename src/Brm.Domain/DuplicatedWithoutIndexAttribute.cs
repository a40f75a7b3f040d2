using Marten.Schema;

namespace Brm.Domain;

/// <summary>
/// Duplicates the named members of a document into columns of their own, as Marten's <c>Duplicate</c> does, but
/// without the one-column index <c>Duplicate</c> adds to each: for a column that leads a composite index the
/// document's configuration declares (<see cref="BrmDomain.Configure"/>), which serves every query on it alone, so
/// a second index would only be written on every row and never read.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class DuplicatedWithoutIndexAttribute(params string[] members) : MartenAttribute
{
    public override void Modify(DocumentMapping mapping)
    {
        foreach (var member in members)
        {
            mapping.DuplicateField(member);
        }
    }
}
