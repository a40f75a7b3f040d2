namespace Brm.Domain.Outreach;

/// <summary>
/// The update template that ships (version 1): plain, warm and short; a section only when it has something to say.
/// What it can use is <see cref="UpdateView"/>, in snake_case; docs/outreach.md lists it.
/// </summary>
public static class DefaultUpdateTemplate
{
    public const string Subject = """IT update for {{ department.name }}: {{ period.from | date: "%-d %B" }} to {{ period.to | date: "%-d %B %Y" }}""";

    public const string Source = """
        Hello {{ department.name }},

        Here is what IT did for you from {{ period.from | date: "%-d %B" }} to {{ period.to | date: "%-d %B %Y" }}.
        {% if nothing_to_report %}
        It was a quiet period: nothing was delivered, moved or stopped, and nothing falls due in the weeks ahead.
        {% endif %}
        {% if delivered.size > 0 %}
        ## What we delivered

        {% for c in delivered -%}
        - {{ c.title }}{% if c.from_you %} (your side){% endif %}: {% if c.on_time %}done on time{% else %}done {{ c.days_late }} {% if c.days_late == 1 %}day{% else %}days{% endif %} late (it was due {{ c.due_date | date: "%-d %B" }}){% endif %}
        {% endfor %}
        {% endif %}
        {% if renegotiated.size > 0 %}
        ## What moved, and why

        {% for c in renegotiated -%}
        - {{ c.title }}: now due {{ c.due_date | date: "%-d %B" }} (was {{ c.previous_due_date | date: "%-d %B" }}). {{ c.reason }}
        {% endfor %}
        {% endif %}
        {% if cancelled.size > 0 %}
        ## What we stopped, and why

        {% for c in cancelled -%}
        - {{ c.title }}: {{ c.reason }}
        {% endfor %}
        {% endif %}
        {% if actioned.size > 0 %}
        ## What you asked for, and what we are doing about it

        {% for f in actioned -%}
        - {% if f.comment %}You told us: “{{ f.comment }}”.{% else %}Your feedback of {{ f.received_on | date: "%-d %B" }}.{% endif %} {% if f.commitment %}{% if f.commitment.delivered %}Done: {{ f.commitment.title }}.{% else %}We are on it: {{ f.commitment.title }}, due {{ f.commitment.due_date | date: "%-d %B" }}.{% endif %}{% else %}We are acting on it.{% endif %}
        {% endfor %}
        {% endif %}
        {% if declined.size > 0 %}
        ## What we could not do, and why

        {% for f in declined -%}
        - {% if f.comment %}You asked: “{{ f.comment }}”.{% else %}Your feedback of {{ f.received_on | date: "%-d %B" }}.{% endif %} We can't do this: {{ f.reason }}
        {% endfor %}
        {% endif %}
        {% if coming_due.size > 0 %}
        ## Coming up by {{ next_period.to | date: "%-d %B" }}

        {% for c in coming_due -%}
        - {{ c.title }}{% if c.from_you %} (your side){% endif %}, due {{ c.due_date | date: "%-d %B" }}
        {% endfor %}
        {% endif %}
        {% if meetings.size > 0 %}
        ## Time together

        We met {% if meetings.size == 1 %}once{% elsif meetings.size == 2 %}twice{% else %}{{ meetings.size }} times{% endif %}: {% for m in meetings %}{{ m.topic }} ({{ m.held_on | date: "%-d %B" }}){% unless forloop.last %}, {% endunless %}{% endfor %}.
        {% endif %}
        {% if information_needs.size > 0 %}
        ## Why you get this update

        You told us you need to know about {% for n in information_needs %}{{ n.description }}{% unless forloop.last %}; {% endunless %}{% endfor %}: this update is how we keep you posted.
        {% endif %}

        If anything here is not what you expected, reply to this email: we read every answer.

        {{ sender }}
        """;
}
