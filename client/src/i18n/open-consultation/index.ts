// Imported by the open consultation screens: adds their strings to the catalogues when their chunk loads.
import { addMessages } from '../translate.ts';
import { openConsultationAr } from './ar.ts';
import { openConsultationEn } from './en.ts';
import { openConsultationFr } from './fr.ts';

addMessages({ en: openConsultationEn, fr: openConsultationFr, ar: openConsultationAr });
