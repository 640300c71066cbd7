/** The one place forms show their outcome: an error (role=alert) or a confirmation (role=status). */
export function FormError({ message, testId = "form-error" }: { message?: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <div className="alert" role="alert" data-testid={testId}>
      {message}
    </div>
  );
}

export function FormNotice({ children, testId = "form-notice" }: { children: React.ReactNode; testId?: string }) {
  return (
    <div className="notice" role="status" data-testid={testId}>
      {children}
    </div>
  );
}

export function FieldError({ message, id }: { message?: string; id: string }) {
  if (!message) return null;
  return (
    <span className="field-error" id={id}>
      {message}
    </span>
  );
}
