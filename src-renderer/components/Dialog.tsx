/**
 * The app's modal dialog: Radix Dialog (focus trap, Esc, aria) with the house look: a title, an optional
 * description, a body and a footer of buttons.
 */
import * as RadixDialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

/** Props of Dialog: controlled `open`, a title, an optional description and footer. */
export interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  /** Width in pixels (default 520). */
  widthPx?: number;
}

/** A modal dialog (Radix): focus trapped, closes on Esc and on the overlay. */
export function Dialog(props: DialogProps) {
  return (
    <RadixDialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content className="dialog" style={{ width: props.widthPx ?? 520 }}>
          <header className="dialog-header">
            <RadixDialog.Title className="dialog-title">{props.title}</RadixDialog.Title>
            <RadixDialog.Close className="icon-button dialog-close" aria-label="Close">
              <CloseIcon />
            </RadixDialog.Close>
          </header>
          {props.description ? (
            <RadixDialog.Description className="dialog-description">{props.description}</RadixDialog.Description>
          ) : (
            <RadixDialog.Description className="visually-hidden">{props.title}</RadixDialog.Description>
          )}
          <div className="dialog-body">{props.children}</div>
          {props.footer ? <footer className="dialog-footer">{props.footer}</footer> : null}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** The × glyph of close buttons (14 px). */
export function CloseIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
      <path d="M3 3l8 8M11 3l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
