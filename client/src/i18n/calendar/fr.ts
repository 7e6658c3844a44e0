// Français de l’abonnement au calendrier : complet (le type exige chaque clé de en.ts).
import type { CalendarMessages } from './en.ts';

export const calendarFr: CalendarMessages = {
  'cal.title': 'Abonnement au calendrier',
  'cal.intro':
    'Suivez ce calendrier dans Outlook, Google Agenda ou Calendrier (Apple) : chaque étape et chaque échéance, tenues à jour quand les coordonnateurs en déplacent une.',
  'cal.subscribe': 'S’abonner au calendrier du groupe',
  'cal.working': 'Préparation de votre lien…',
  'cal.urlLabel': 'Votre lien d’abonnement',
  'cal.urlHint': 'Collez-le dans votre application d’agenda comme calendrier Internet (abonnement par URL).',
  'cal.copy': 'Copier le lien',
  'cal.copied': 'Lien copié.',
  'cal.copyFailed': 'Votre navigateur n’a pas permis la copie : le lien est sélectionné, appuyez sur Ctrl+C (⌘C sur Mac) pour le copier.',
  'cal.openApp': 'Ouvrir dans mon application d’agenda',
  'cal.personal':
    'Ce lien est personnel : quiconque le possède peut voir le calendrier de ce groupe sans se connecter. Ne le partagez pas. S’il a fuité, réinitialisez-le : l’ancien lien cesse aussitôt de fonctionner.',
  'cal.shownOnce': 'Le lien n’est affiché que maintenant : Convene n’en garde aucune copie.',
  'cal.howTo':
    'Outlook : Ajouter un calendrier › S’abonner à partir du web. Google Agenda : Autres agendas › À partir de l’URL. Calendrier (Apple) : Fichier › Nouvel abonnement à un calendrier.',
  'cal.existing':
    'Vous avez un lien d’abonnement, émis le {date}. Il n’a été affiché qu’une fois ; pour obtenir de nouveau un lien, réinitialisez-le (l’ancien cesse de fonctionner).',
  'cal.reset': 'Réinitialiser le lien',
  'cal.resetConfirm':
    'Réinitialiser votre lien de calendrier ? Le lien actuel cessera de fonctionner ; vous collerez ensuite le nouveau dans votre application d’agenda.',
  'cal.revoke': 'Arrêter l’abonnement',
  'cal.revokeConfirm': 'Arrêter votre abonnement au calendrier ? Le lien cessera de fonctionner et votre application d’agenda ne recevra plus ce calendrier.',
  'cal.ready': 'Votre lien d’abonnement au calendrier est prêt.',
  'cal.resetDone': 'Un nouveau lien est prêt ; l’ancien ne fonctionne plus.',
  'cal.revoked': 'Abonnement arrêté : le lien ne fonctionne plus.',
};
