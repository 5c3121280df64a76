/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * The world around the ICH_HCR_EL2.TDIR protocol, shared by tdir-old.pml
 * and tdir-new.pml (docs/tdir-model.md): one SPI with its list register
 * (LR), the guest's ack / EOI / DIR, the fold and prune at exit.  The
 * processes (vCPUs, injector, end-state check) are in tdir-procs.pml.
 *
 * A protocol file includes this file, then defines
 *   protocol globals, and the inlines
 *   handle_requests(me)   check_vcpu_requests(), IRQs on, preemptible
 *   flush(me)             vgic_flush_lr_state(), IRQs off, under ap_list_lock
 *   configure_tdir(me)    ICH_HCR_EL2.TDIR at entry, after IN_GUEST_MODE
 *   REQ_PENDING(me)       kvm_request_pending() (an expression)
 *   inject(t)             vgic_queue_irq_unlock() and the kick(s) after it
 *   migrated(me, t)       what vgic_prune_ap_list() does after moving the SPI
 *   count_dec()           the unlink's decrement of the in-flight count
 *   drain(me)             a full barrier on CPU me (its store buffers)
 *   enter_mode(me)        smp_store_mb(vcpu->mode, IN_GUEST_MODE)
 *   start_membus()        run the store-buffer process, if any
 * and then includes tdir-procs.pml.
 *
 * Bounds (all -D overridable): NV vCPUs, ROUNDS injections of the SPI,
 * RETARGETS guest writes of its route while it is in flight, SPONT
 * spontaneous guest exits and FLIPS EOImode flips (in all).
 */

#ifndef NV
#define NV		2
#endif
#ifndef ROUNDS
#define ROUNDS		2
#endif
#ifndef RETARGETS
#define RETARGETS	1
#endif
#ifndef SPONT
#define SPONT		1
#endif
#ifndef FLIPS
#define FLIPS		1
#endif

#define NONE		255
/* vcpu->mode */
#define OUTSIDE		0
#define IN_GUEST	1
#define EXITING		2

byte mode[NV];		/* vcpu->mode, as the other CPUs see it */
bool tdir[NV];		/* ICH_HCR_EL2.TDIR, fixed from entry to exit */
bool eoimode[NV];	/* the guest's ICC_CTLR_EL1.EOImode (= the VMCR copy outside the guest) */
bool ipi[NV];		/* an IPI is pending on the CPU of vCPU v (taken when IRQs are on) */
bool req_kick[NV];	/* KVM_REQ_IRQ_PENDING (and any other plain request bit) */
byte spont = SPONT;	/* spontaneous guest exits left (all vCPUs) */
byte flips = FLIPS;	/* guest EOImode flips left (all vCPUs) */

/* The SPI: the vgic_irq state, and its LR copy while an LR holds it */
byte spi_owner = NONE;	/* whose ap_list it is on (NONE: not tracked) */
bool spi_pending, spi_active;
byte spi_lr = NONE;	/* whose LR holds it */
bool lr_pending, lr_active;
bool dir_due;		/* the guest acked it with EOImode=1 and owes a DIR */
byte retargets = RETARGETS;

byte count;		/* in-flight SPIs: dist->active_spis (the count half) */

/* ghosts */
byte acks;		/* guest acknowledgements */
byte deact;		/* deactivations the guest performed (EOI in EOImode=0, DIR) */
byte notifies;		/* resampler notifications (kvm_notify_acked_irq) */
bool inj_done;
bool lost_deactivation;	/* an untrapped DIR of an SPI not in the DIR-ing vCPU's LR */

inline notify()
{
	notifies++;
	assert(notifies <= deact)	/* property 2: never twice for one deactivation */
}

/* kvm_make_request(KVM_REQ_IRQ_PENDING) + kvm_vcpu_kick(): IPI if in the guest */
inline kick(t)
{
	req_kick[t] = 1;
	if
	:: mode[t] == IN_GUEST -> mode[t] = EXITING; ipi[t] = 1
	:: else
	fi
}

/* vgic_v3_fold_lr_state(): the LR back into the vgic_irq; a level SPI's LR
 * carries ICH_LR_EOI, so an LR the guest deactivated notifies the resampler */
inline fold(me)
{
	if
	:: spi_lr == me ->
		if
		:: !lr_pending && !lr_active -> notify()
		:: else
		fi;
		spi_pending = lr_pending;
		spi_active = lr_active;
		spi_lr = NONE;
		lr_pending = 0;
		lr_active = 0
	:: else
	fi
}

/* vgic_prune_ap_list(): unlink what is neither pending nor active; move a
 * pending, inactive SPI whose route changed (vgic_target_oracle) */
inline prune(me)
{
	if
	:: spi_owner == me && spi_lr == NONE ->
		if
		:: !spi_pending && !spi_active ->
			spi_owner = NONE;
			count_dec()
		:: spi_pending && !spi_active && retargets > 0 ->
			/* the guest wrote IROUTER (trapped; KVM changed the
			 * route) since: vgic_target_oracle() is another vCPU */
			retargets--;
			select (tgt : 0 .. NV - 1);
			if
			:: tgt != me ->
				spi_owner = tgt;
				migrated(me, tgt)
			:: else
			fi;
			tgt = 0
		:: else
		fi
	:: else
	fi
}

/* The guest acknowledges the SPI from its LR; with EOImode=0 its EOI also
 * deactivates it, with EOImode=1 the EOI only drops the priority and some
 * vCPU of the guest (this one or another) owes a DIR. */
/* The guest flips ICC_CTLR_EL1.EOImode.  Only its EOIs and the next entry
 * (through the VMCR saved at exit) see the bit, so a flip is modelled at
 * those two points only: at an ack and at an exit. */
inline guest_flip(me)
{
	if
	:: flips > 0 -> flips--; eoimode[me] = !eoimode[me]
	:: true
	fi
}

inline guest_ack(me)
{
	guest_flip(me);
	lr_pending = 0;
	lr_active = 1;
	acks++;
	if
	:: eoimode[me] -> dir_due = 1
	:: else -> lr_active = 0; deact++
	fi
}

/* The guest writes ICC_DIR_EL1.  Trapped (TDIR=1): KVM deactivates it
 * wherever it is (in an LR: the owner's fold notifies; else at once).
 * Untrapped: the hardware deactivates it only if it is in this vCPU's own
 * LR; otherwise the write is dropped and the SPI stays active for good. */
inline guest_dir(me)
{
	dir_due = 0;
	deact++;
	if
	:: tdir[me] ->
		if
		:: spi_lr != NONE -> lr_active = 0
		:: else -> spi_active = 0; notify()
		fi
	:: else ->
		if
		:: spi_lr == me -> lr_active = 0
		:: else -> lost_deactivation = 1
		fi
	fi;
	assert(!lost_deactivation)	/* property 1 */
}

