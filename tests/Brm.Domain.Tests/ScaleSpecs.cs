using Brm.Domain.Feedback;

namespace Brm.Domain.Tests;

public sealed class ScaleSpecs
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static FeedbackItem Answer(FeedbackScale scale, int? rating) => FeedbackItem.Fold(null, new FeedbackReceived(
        Guid.NewGuid(), Guid.NewGuid(), null, Channel.Email, rating, scale, rating is null ? "no score" : null, FeedbackSubject.General, null, "brm", At));

    [Theory]
    [InlineData(FeedbackScale.Rating, 1, 5)]
    [InlineData(FeedbackScale.Csat, 1, 5)]
    [InlineData(FeedbackScale.Nps, 0, 10)]
    public void Each_scale_has_its_range(FeedbackScale scale, int min, int max) => Assert.Equal((min, max), scale.Range());

    [Fact]
    public void Nps_is_promoters_minus_detractors_over_every_nps_answer_and_csat_the_satisfied_share()
    {
        FeedbackItem[] answers =
        [
            Answer(FeedbackScale.Nps, 10), Answer(FeedbackScale.Nps, 9), Answer(FeedbackScale.Nps, 8), Answer(FeedbackScale.Nps, 7),
            Answer(FeedbackScale.Nps, 6), Answer(FeedbackScale.Nps, 0), Answer(FeedbackScale.Nps, null),
            Answer(FeedbackScale.Csat, 4), Answer(FeedbackScale.Csat, 3), Answer(FeedbackScale.Csat, 5), Answer(FeedbackScale.Rating, 5),
        ];

        var scores = ScaleScores.From(answers);

        Assert.Equal((6, 2, 2, 2), (scores.NpsAnswers, scores.Promoters, scores.Passives, scores.Detractors));
        Assert.Equal(0.0, scores.Nps);
        Assert.Equal((3, 2), (scores.CsatAnswers, scores.Satisfied));
        Assert.Equal(2.0 / 3, scores.CsatShare);
    }

    [Fact]
    public void Without_answers_there_is_no_figure()
    {
        var scores = ScaleScores.From([Answer(FeedbackScale.Rating, 3)]);

        Assert.Null(scores.Nps);
        Assert.Null(scores.CsatShare);
    }

    [Fact]
    public void Feedback_recorded_before_scales_existed_reads_as_a_1_to_5_rating() =>
        Assert.Equal(FeedbackScale.Rating, default(FeedbackScale));
}
