namespace CanarySim.Gherkin;

/// <summary>
/// Marks a method on a <see cref="BindingAttribute"/> class that converts step text into a
/// parameter type the runner does not know (as Reqnroll's <c>[StepArgumentTransformation]</c>).
/// The method takes one <see cref="string"/> and returns the target type.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepArgumentTransformationAttribute : Attribute;
